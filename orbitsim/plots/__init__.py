"""Figures (matplotlib, Agg backend set inside each plotting module).

* :mod:`orbitsim.plots.groundtrack` -- world map of a ground track
  (``plot_ground_track``), with Natural Earth country outlines that other
  figures can reuse (``draw_countries``);
* :mod:`orbitsim.plots.scenario` -- scenario figures (decay curves, two tracks);
* :mod:`orbitsim.plots.risk` -- debris impact-probability map.

Importing this package does not import matplotlib.
"""
