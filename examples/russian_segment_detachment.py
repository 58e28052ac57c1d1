"""What if the Russian segment detaches on 31 March 2022 (the Novosti video)?

Each part keeps its own mass and drag area (with sources, in the scenario file); the US segment
loses Russian propulsion. Runs each part with the decay engine, then prints how far apart they drift.

    .venv/bin/python examples/russian_segment_detachment.py
"""

from orbitsim.reentry import decay
from orbitsim.elements import select_elements
from orbitsim.events import ConfigChange, EndReboosts, ReboostPolicy
from orbitsim.runner import run
from orbitsim.scenario import SeparationEvent, load

sc = load("scenarios/russian-segment-detachment.toml")
sep = sc.events_of(SeparationEvent)[0]
iss = select_elements(None, sc.start)
policy = sc.events[0]

for part in sep.parts:
    events = [ReboostPolicy(trigger_alt_km=policy.trigger_alt_km, target_alt_km=policy.target_alt_km,
                            isp_s=policy.isp_s),
              ConfigChange(sep.time, mass_kg=part.mass_kg, area_m2=part.area_m2, cd=part.cd,
                           label=part.label)]
    if not part.reboosts:
        events.append(EndReboosts(sep.time))
    r = decay(iss, mass_kg=sc.spacecraft.mass_kg, area_m2=sc.spacecraft.area_m2,
              cd=sc.spacecraft.cd, start=sc.start, solar="observed", bc="fit",
              events=events, until=sc.end)
    fate = f"reenters {r.reentry_epoch.date()}" if r.reentry_epoch else "stays up (reboosted)"
    print(f"{part.label:>16}: {part.mass_kg:>9,.0f} kg, {part.area_m2:>6,.0f} m^2 -> {fate}")

# Full scenario: both parts, the drift between them, the two ground tracks.
res = run(sc, "out/examples/russian-segment-detachment")
d = res.result["separation"]["drift"]
print(f"apart by {d['distance_km_after_1_day']:,.0f} km after a day, "
      f"{d['distance_km_after_7_days']:,.0f} km after a week")
print("figures:", ", ".join(res.files))
