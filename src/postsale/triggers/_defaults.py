"""The default numbers of the trigger rules, each defined once with where it comes from (the field guide's page
``docs/guide/triggers.md``: "guide: Triggers › <Section>").

Thresholds the source playbooks write "or more" are inclusive (≥). The renewal runway of each segment is not a
number of this module: it is read from the renewal playbooks (``postsale.renewal.playbook_for``), so the trigger
that opens the runway and the playbook that runs it never disagree.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from postsale._frozen import freeze
from postsale._vocabulary import Segment
from postsale.health import BAND_HYSTERESIS, YELLOW_FROM
from postsale.renewal import playbook_for

CATALOG_VERSION: Final = "2026.2"
"""Version of the default rule sets (2026.2: band moves and sharp drops apart, M1 on each segment's runway, the
moments beyond the catalog)."""

# ---- usage rules (guide: Triggers › Usage rules) ----------------------------------------------------------------
LOGIN_DROP: Final = 0.30
"""U1: weekly logins down at least 30 % week over week (guide: Triggers › Usage rules); also the drop of one team's
usage that U7 looks for (guide: Triggers › Usage patterns)."""
MIN_BASE_VOLUME: Final = 10.0
"""A drop counts only from a base of at least 10 in the previous period (logins, uses, or points of a 0-100
score), so 1 → 0 is not a 100 % drop (guide: Triggers › Usage rules)."""
NON_ADOPTION_DAYS: Final = 30
"""U2: the core feature still unused 30 days after purchase; U5: a new feature still unused 30 days after its
release (guide: Triggers › Usage rules)."""
KEY_FEATURE_DROP: Final = 0.50
"""U3: critical-feature usage down at least 50 % (guide: Triggers › Usage rules)."""
POWER_USER_PERCENTILE: Final = 90.0
"""U4: the most active user at or above the 90th activity percentile (guide: Triggers › Usage rules)."""
POWER_USER_FEATURES: Final = 5.0
"""U4: at least 5 distinct features used in the last 30 days (feature breadth, guide: Triggers › Usage rules)."""

# ---- health rules and health movements --------------------------------------------------------------------------
PERSISTENT_YELLOW_DAYS: Final = 30
"""H3: at least 30 consecutive days in YELLOW (guide: Triggers › Health rules)."""
TICKET_SPIKE: Final = 3.0
"""H4: at least 3 support tickets in a rolling week (guide: Triggers › Health rules)."""
SHARP_DROP_IN_GREEN: Final = 15.0
"""H6: a drop of at least 15 points since the previous evaluation while the account stays GREEN (the catalog's
Green → Yellow threshold, guide: Triggers › Health movements)."""
SHARP_DROP_IN_YELLOW: Final = 10.0
"""H7: a drop of at least 10 points since the previous evaluation while the account stays YELLOW (the catalog's
Yellow → Red threshold, guide: Triggers › Health movements)."""
COMPONENT_DECLINE: Final = 0.20
"""H8-H10: a health component (usage, engagement, sentiment) down at least a fifth on a month earlier
(guide: Triggers › Health movements)."""
COMPONENT_RED_LINE: Final = YELLOW_FROM
"""H11: a component score crossing below the RED line of the health bands, 40, the same cut-off as the health
model's bands (guide: Triggers › Health movements)."""
COMPONENT_RED_RELEASE: Final = YELLOW_FROM + BAND_HYSTERESIS
"""H11 stays on until the component is back at 50 (the bands' hysteresis, guide: Triggers › Health movements)."""

# ---- milestone rules (guide: Triggers › Milestone rules) --------------------------------------------------------
RENEWAL_RUNWAY_DAYS: Final[Mapping[Segment, int]] = freeze({s: playbook_for(s).runway_days for s in Segment})
"""M1: days before the renewal date when each segment's renewal runway starts, read from its renewal playbook
(enterprise 180, mid-market 90, SMB 60, product-led 30; guide: Triggers › Milestone rules)."""
RENEWAL_DAYS: Final = RENEWAL_RUNWAY_DAYS[Segment.MID_MARKET]
"""M1: the catalog's "90 days before renewal", the mid-market runway (and the window of an account whose
segment a frame does not name; guide: Triggers › Milestone rules)."""
CAPACITY_SHARE: Final = 0.80
"""M2: 80 % of capacity, here active / purchased seats; X3: the seat use that makes a renewal the moment to
bundle an upgrade (guide: Triggers › Milestone rules)."""
SETUP_COMPLETE: Final = 1.0
"""M3: core setup 100 % (guide: Triggers › Milestone rules)."""
FIRST_VALUE: Final = 1.0
"""M4: the customer's own first-value criterion is met: signal ``first_value_documented`` = 1
(guide: Triggers › Milestone rules)."""

# ---- proactive rules (guide: Triggers › Proactive rules) --------------------------------------------------------
STORAGE_SHARE: Final = 0.75
"""P1: storage at 75 % of capacity (guide: Triggers › Proactive rules)."""
ANY_LIMIT_SHARE: Final = 0.80
"""P2: 80 % of any limit (guide: Triggers › Proactive rules)."""
LICENSE_EXPIRY_DAYS: Final = 60
"""P3: licence expiry within 60 days (guide: Triggers › Proactive rules)."""

# ---- usage patterns (guide: Triggers › Usage patterns) ----------------------------------------------------------
SILENT_DAYS: Final = 14
"""U6: nobody at the account logged in for 14 days or more, two weekly rhythms missed
(guide: Triggers › Usage patterns)."""

# ---- events: a flag set to 1 (event rules, lifecycle moments, expansion rules) ---------------------------------
EVENT_FLAG: Final = 1.0
"""An event signal (``funding_announced``, ``trial_converted`` ...) is 1 while the event is recent and 0 otherwise;
its rule fires when it turns 1 (guide: Triggers › Event rules)."""
