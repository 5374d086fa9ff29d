"""Run options: one dataclass that the CLI, the Python API and a config file all fill.

Every option has one name, used as the Python attribute, the TOML key (``[tool.boilerclean]`` in a
``pyproject.toml`` or a plain ``boilerclean.toml``) and, with ``_`` spelt ``-``, the CLI flag.
Defaults are the documented behaviour; a config file overrides only the keys it names, and flags
override the file.

>>> Options().dedup_threshold
0.8
>>> Options.from_mapping({"dedup-threshold": 0.9}).dedup_threshold
0.9
"""

from __future__ import annotations

import dataclasses
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

MB = 1024 * 1024


@dataclass
class Options:
    """Everything a run can be told; see ``docs/reference/cli.md`` for each one."""

    # reading
    include: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    text_field: str = "text"
    max_doc_bytes: int = 16 * MB
    # extraction (HTML only)
    html_fast: bool = False
    # repair
    repair: bool = True
    # rules
    rules: bool = True
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    rules_path: list[str] = field(default_factory=list)
    rule_timeout: float = 0.5
    collateral_budget: float = 0.30
    paragraphs: Literal["lines", "blocks"] = "lines"
    # dedup
    dedup: Literal["paragraph", "document", "both", "off"] = "paragraph"
    dedup_threshold: float = 0.8
    dedup_num_perm: int = 128
    dedup_ngram: int = 5
    dedup_min_chars: int = 50
    dedup_keep: Literal["first", "longest"] = "first"
    index: str | None = None
    # quality
    quality: Literal["off", "gopher", "c4", "fineweb"] = "off"
    quality_config: str | None = None
    signals: bool = True
    # output
    format: Literal["parquet", "jsonl"] = "parquet"
    shard_size: int | None = None
    row_group_size: int = 10_000
    rejected: str | None = None
    # execution
    workers: int = 0  # 0: every core
    batch_size: int = 64
    seed: int = 1

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> Options:
        """Options from a mapping with TOML-style keys (``dedup-threshold`` or ``dedup_threshold``).

        Unknown keys are an error that names them, so that a typo never passes silently.
        """
        names = {f.name for f in dataclasses.fields(cls)}
        clean = {key.replace("-", "_"): value for key, value in values.items()}
        unknown = sorted(set(clean) - names)
        if unknown:
            raise ValueError(
                f"unknown option(s) {', '.join(unknown)}; the options are listed in "
                "docs/reference/cli.md"
            )
        return cls(**clean)

    @classmethod
    def from_file(cls, path: str | Path) -> Options:
        """Options from a TOML file: its ``[tool.boilerclean]`` table, or the whole file."""
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        table = data.get("tool", {}).get("boilerclean", data)
        return cls.from_mapping(table)

    def replace(self, **changes: Any) -> Options:
        return dataclasses.replace(self, **changes)

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)
