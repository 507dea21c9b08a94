"""The DuckDB database a return's tables are staged in while the DfE rules query them.

An in-memory DuckDB holds every staged table and by default may take most of the machine's memory,
so an import's memory grew with the file (242 MB more for England's 100,000 903 children; about a
gigabyte for an England-sized CIN census). A database file in a temporary folder, with a limit,
spills to disk instead (decisions 0042 and 0050). An in-memory database given the same limit and
the folder as its temp_directory spills too (DuckDB's buffer manager writes the tables' blocks
there past the limit), without a file's write-ahead log and checkpoints (decision 0065)."""

from pathlib import Path

import duckdb

MEMORY_LIMIT = "100MB"


def bounded(folder: Path, in_memory: bool = False, threads: int | None = None) -> duckdb.DuckDBPyConnection:
    """A DuckDB database that spills to `folder` past MEMORY_LIMIT, keeping rows in insertion order: a
    file in `folder`, or with `in_memory` held in memory up to the limit. `threads`: DuckDB's threads
    (by default one a core)."""
    config: dict = {"memory_limit": MEMORY_LIMIT, "temp_directory": str(folder), "preserve_insertion_order": True}
    if threads:
        config["threads"] = threads
    return duckdb.connect(":memory:" if in_memory else str(folder / "return.duckdb"), config=config)
