"""postsale: the domain engine of post-sale customer success for B2B subscription businesses.

For every account in a portfolio and on any date, ``postsale`` answers where the customer is in its
journey, how healthy it is, what service model it warrants, where its renewal stands, and what the
team should do next, by when, and why. Everything here is an immutable value or a pure function;
time is always a parameter. See https://postsale.readthedocs.io (``docs/`` in the repository).
"""

from postsale._convert import from_data, from_json, to_data, to_json
from postsale._errors import (
    DefinitionError,
    InvalidTypeError,
    InvalidValueError,
    NaiveDatetimeError,
    OutOfOrderError,
    PostsaleError,
    Problem,
    StructureError,
    TransitionRefused,
    UnknownNameError,
)
from postsale._version import __version__
from postsale._vocabulary import AccountSnapshot, HealthBand, Segment, Stage, TouchModel

__all__ = [
    # vocabulary
    "AccountSnapshot",
    # errors
    "DefinitionError",
    "HealthBand",
    "InvalidTypeError",
    "InvalidValueError",
    "NaiveDatetimeError",
    "OutOfOrderError",
    "PostsaleError",
    "Problem",
    "Segment",
    "Stage",
    "StructureError",
    "TouchModel",
    "TransitionRefused",
    "UnknownNameError",
    "__version__",
    # serialization
    "from_data",
    "from_json",
    "to_data",
    "to_json",
]
