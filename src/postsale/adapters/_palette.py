"""The colours every display of postsale shares (the charts, the notebook cards, the styled frames and the nightly
report), defined once: a band, a forecast category or a problem has one colour wherever it is shown."""

from __future__ import annotations

from typing import Final

__all__ = ["BAND_COLORS", "BLUE", "FORECAST_COLORS", "GREEN", "NEUTRAL", "RED", "YELLOW"]

GREEN: Final = "#2E7D32"
YELLOW: Final = "#F9A825"
RED: Final = "#C62828"
BLUE: Final = "#1565C0"
NEUTRAL: Final = "#78909C"

BAND_COLORS: Final = {"GREEN": GREEN, "YELLOW": YELLOW, "RED": RED}
"""One colour per health band, by the band's name."""

FORECAST_COLORS: Final = {"COMMIT": GREEN, "LIKELY": BLUE, "AT_RISK": RED}
"""One colour per forecast category, by the category's name."""
