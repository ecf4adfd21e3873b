"""Scoring many accounts: one bad account never stops the others."""



from __future__ import annotations

from datetime import date

from postsale import AccountSnapshot
from postsale.health import BASIC_HEALTH_MODEL, Pulse, ScoreFailure

AS_OF = date(2026, 3, 31)
GOOD = AccountSnapshot("good", "SMB", AS_OF, signals={"sentiment": 80})
BAD_SCALE = AccountSnapshot("bad", "SMB", AS_OF, signals={"nps": 45})
EMPTY = AccountSnapshot("empty", "SMB", AS_OF)


def test_failures_collected_and_others_scored():
    """Bad accounts are reported with the error's field; good ones are scored in order."""
    batch = BASIC_HEALTH_MODEL.score_many([BAD_SCALE, GOOD, EMPTY, {"not": "a snapshot"}])  # type: ignore[list-item]
    assert (["good"], False) == ([s.account_id for s in batch.scores], batch.ok)
    assert [
        (0, "bad", "InvalidValueError", "signals['nps']"),
        (2, "empty", "NoHealthDataError", "signals"),
        (3, "#3", "InvalidTypeError", "snapshot"),
    ] == [(f.index, f.account_id, f.error, f.field) for f in batch.failures]


def test_failure_message_kept():
    """A failure keeps the whole error message."""
    failure = BASIC_HEALTH_MODEL.score_many([BAD_SCALE]).failures[0]
    assert isinstance(failure, ScoreFailure)
    assert "outside every band" in failure.message


def test_all_good_is_ok():
    """A batch without failures is ok."""
    assert BASIC_HEALTH_MODEL.score_many([GOOD]).ok


def test_pulses_and_observed_by_account():
    """Pulses and observation dates are passed per account id."""
    pulse = Pulse(20, author="aiko", reason="r", assessed_on=AS_OF, expires_on=AS_OF)
    other = AccountSnapshot("other", "SMB", AS_OF, signals={"sentiment": 80})
    batch = BASIC_HEALTH_MODEL.score_many(
        [GOOD, other], pulses={"good": pulse}, observed={"other": {"sentiment": date(2025, 1, 1)}}
    )
    assert [(50.0, None)] == [(s.value, None) for s in batch.scores]
    assert ["other"] == [f.account_id for f in batch.failures]
