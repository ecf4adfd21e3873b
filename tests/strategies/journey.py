"""Strategies for the journey context."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import strategies as st

from postsale import Segment, Stage
from postsale.journey import DEFAULT_JOURNEY_DEFINITION, Cause, CauseCategory, Journey

FULL_EVIDENCE = {
    "implementation_complete": 1.0, "core_users_trained": 1.0, "use_case_live": 1.0,
    "first_value_documented": 1.0, "go_live_confirmed": 1.0, "seat_utilisation": 0.8,
    "features_beyond_initial": 3.0, "usage_pattern_established": 1.0, "additional_teams_onboarded": 1.0,
    "power_users": 1.0, "health_score": 75.0, "satisfaction": 9.0, "roi_documented": 1.0,
    "champion_willing": 1.0, "strategic_profile": 1.0, "renewals_completed": 1.0,
}
"""Evidence meeting every default guard."""

BACKWARD_CAUSES = [c for c in Cause if DEFAULT_JOURNEY_DEFINITION.category(c) is not CauseCategory.PROGRESS
                   and c is not Cause.OTHER]
stages = st.sampled_from(list(Stage))
segments = st.sampled_from(list(Segment))
starts = st.dates(min_value=date(2018, 1, 1), max_value=date(2030, 12, 31))


@st.composite
def journeys(draw: st.DrawFn, max_events: int = 12) -> Journey:
    """Valid journeys built from random moves (forward with evidence, skips, regressions, cycles, tracks)."""
    day = draw(starts)
    journey = Journey.start(draw(st.sampled_from(["acme", "globex", "initech"])), draw(segments), on=day,
                            labels={"source": draw(st.sampled_from(["referral", "outbound"]))})
    for i in range(draw(st.integers(0, max_events))):
        day += timedelta(days=draw(st.integers(0, 60)))
        tracks = sorted(journey.tracks)
        action = draw(st.sampled_from(["move", "move", "move", "open", "close"]))
        if action == "open" or not tracks:
            journey = journey.open_track(f"t{i}", on=day, stage=draw(stages), reason="imported")
            continue
        track = draw(st.sampled_from(tracks))
        if action == "close" and len(tracks) > 1:
            journey = journey.close_track(track, on=day, cause=Cause.CHURNED)
            continue
        current = journey.stage(track)
        target = draw(stages.filter(lambda s, c=current: s != c))
        if target > current:
            journey = journey.move(track, target, on=day, evidence=FULL_EVIDENCE)
        else:
            journey = journey.move(track, target, on=day, cause=draw(st.sampled_from(BACKWARD_CAUSES)))
    return journey
