"""Any dataframe in, the same kind out: a whole portfolio on the columnar path, and values as pandas frames.

(An adapter; ``pip install 'postsale[frame]'``.)
"""

from postsale._columnar import require
from postsale._errors import MissingDependencyError
from postsale.adapters.frame._pandas import (
    HEALTH_BAND_CODES,
    SEGMENT_CODES,
    TOUCH_MODEL_CODES,
    health_columns,
    renewal_columns,
    score_frame,
    to_pandas,
    touch_columns,
    trigger_hits,
)

__all__ = [
    "HEALTH_BAND_CODES",
    "SEGMENT_CODES",
    "TOUCH_MODEL_CODES",
    "MissingDependencyError",
    "health_columns",
    "renewal_columns",
    "require",
    "score_frame",
    "to_pandas",
    "touch_columns",
    "trigger_hits",
]
