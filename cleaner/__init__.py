"""boilerclean: turn scraped web and news text into clean training and analysis data.

The Python API is three functions over one document model::

    from cleaner import clean_text, clean_documents, clean_table, Options

    doc = clean_text(scraped)            # one text -> Document (text, removed, fixes, ...)
    for doc in clean_documents(docs):    # an iterable of Documents or strings, in order
        ...
    out = clean_table(table, text_column="text")   # pyarrow.Table -> table of the output schema

They run the same stages as the ``clean`` command (see ``docs/reference/python-api.md``). The names
are imported on first use, so that ``import cleaner`` (done by the pytest plugin of the testing kit)
costs nothing until something is used.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_WHERE = {
    "Document": "cleaner.document",
    "Removal": "cleaner.document",
    "rebuild": "cleaner.document",
    "Options": "cleaner.config",
    "Pipeline": "cleaner.pipeline",
    "clean_documents": "cleaner.pipeline",
    "clean_table": "cleaner.pipeline",
    "clean_text": "cleaner.pipeline",
}

__all__ = [
    "Document",
    "Options",
    "Pipeline",
    "Removal",
    "__version__",
    "clean_documents",
    "clean_table",
    "clean_text",
    "rebuild",
]

if TYPE_CHECKING:
    from cleaner.config import Options
    from cleaner.document import Document, Removal, rebuild
    from cleaner.pipeline import Pipeline, clean_documents, clean_table, clean_text


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'cleaner' has no attribute {name!r}")
