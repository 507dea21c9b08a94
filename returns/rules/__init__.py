"""The DfE's validation rules for the national returns, each defined once (code, message, kind,
collection years, source) and run set-based over the whole return (SQL over columnar tables in an
in-memory DuckDB). See docs/decisions/0023-validation-rules.md and docs/validation-rules.md."""
