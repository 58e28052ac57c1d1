"""Physical constants, SI units, with their sources.

Earth: WGS 84 (NIMA TR8350.2, 3rd ed., 2000) for the ellipsoid; gravity
field zonal harmonics J2..J4 from EGM96 as tabulated in Vallado,
*Fundamentals of Astrodynamics and Applications*, 4th ed. (2013), Table D-1
(unnormalised). SGP4 itself uses WGS 72 constants internally (Vallado et al.
2006, "Revisiting Spacetrack Report #3", AIAA 2006-6753); we use WGS 84 for
everything outside SGP4.
"""

MU_EARTH_M3_S2 = 3.986004418e14        # WGS 84 GM
R_EARTH_EQ_M = 6378137.0               # WGS 84 equatorial radius
FLATTENING = 1.0 / 298.257223563       # WGS 84
OMEGA_EARTH_RAD_S = 7.292115e-5        # WGS 84 Earth rotation rate
J2 = 1.08262668e-3                     # EGM96 (Vallado 2013, Table D-1)
J3 = -2.53265649e-6
J4 = -1.61962159e-6
G0_M_S2 = 9.80665                      # standard gravity (for Isp -> propellant)
SIDEREAL_DAY_S = 86164.0905
