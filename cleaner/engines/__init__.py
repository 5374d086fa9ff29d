"""Execution engines beyond the single-machine pipeline (:mod:`cleaner.pipeline`).

- :mod:`cleaner.engines.ray`: the same per-document stages and the same paragraph dedup decisions
  on a Ray cluster (``pip install 'boilerclean[ray]'``; ``clean ... --engine ray``).

Importing this package imports no engine: each one pulls in its own optional dependency.
"""
