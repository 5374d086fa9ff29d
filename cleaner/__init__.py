"""boilerclean: turn scraped web and news text into clean training and analysis data."""

from __future__ import annotations

__version__ = "0.1.0"
