"""boilerclean: turn scraped web and news text into clean training and analysis data.

The Python API is three functions over one document model::

    from cleaner import clean_text, clean_documents, clean_table, Options

    doc = clean_text(scraped)            # one text -> Document (text, removed, fixes, ...)
    for doc in clean_documents(docs):    # an iterable of Documents or strings, in order
        ...
    out = clean_table(table, text_column="text")   # pyarrow.Table -> table of the output schema

They run the same stages as the ``clean`` command (see ``docs/reference/python-api.md``).
"""

from __future__ import annotations

__version__ = "0.1.0"

from cleaner.config import Options
from cleaner.document import Document, Removal, rebuild
from cleaner.pipeline import Pipeline, clean_documents, clean_table, clean_text

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
