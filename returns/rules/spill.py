"""The DuckDB database a return's tables are staged in while the DfE rules query them.

An in-memory DuckDB holds every staged table and by default may take most of the machine's memory,
so an import's memory grew with the file (242 MB more for England's 100,000 903 children; about a
gigabyte for an England-sized CIN census). A database file in a temporary folder, with a limit,
spills to disk instead (decisions 0042 and 0050)."""

from pathlib import Path

import duckdb

MEMORY_LIMIT = "100MB"


def bounded(folder: Path) -> duckdb.DuckDBPyConnection:
    """A DuckDB database in `folder` that spills to it past MEMORY_LIMIT, keeping rows in insertion order."""
    return duckdb.connect(
        str(folder / "return.duckdb"),
        config={"memory_limit": MEMORY_LIMIT, "temp_directory": str(folder), "preserve_insertion_order": True},
    )
