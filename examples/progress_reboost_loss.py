"""What if Progress stops reboosting the ISS on 1 March 2022?

Uses the public API directly: the bundled element set nearest the start, the decay engine with an
end of reboosts, once per solar-activity level; then the same what-if through the scenario runner.

    .venv/bin/python examples/progress_reboost_loss.py
"""

from datetime import datetime, timedelta, timezone

from orbitsim.reentry import decay
from orbitsim.elements import select_elements
from orbitsim.events import EndReboosts
from orbitsim.runner import prograde_altitude_gain_km, run
from orbitsim.scenario import load

start = datetime(2022, 3, 1, tzinfo=timezone.utc)
iss = select_elements(None, start)                       # bundled ISS set nearest the start

until = start + timedelta(days=2500)
# Cd*A/m is fitted once to the element-set history with the space weather that actually
# happened (observed), then kept for the what-if solar profiles.
bc = None
for solar in ("observed", "low", "nominal", "high"):
    r = decay(iss, mass_kg=419_725, area_m2=2000, cd=2.2, start=start, solar=solar,
              bc="fit" if bc is None else bc, events=[EndReboosts(start)], until=until)
    bc = r.ballistic_coefficient_m2_kg if bc is None else bc
    when = f"{r.reentry_epoch.date()} ({r.lifetime_days:.0f} days)" if r.reentry_epoch \
        else f"not before {until.date()}"
    print(f"{solar}: reentry {when}, Cd*A/m = {r.ballistic_coefficient_m2_kg:.5f} m^2/kg")

print(f"one 6.2 m/s Progress reboost lifts the ISS by {prograde_altitude_gain_km(418, 6.2):.1f} km")

# The same what-if, with its sources and the rescue analysis, from the scenario file:
result = run(load("scenarios/progress-reboost-loss.toml"), "out/examples/progress-reboost-loss",
             members=20)
print(result.summary)
