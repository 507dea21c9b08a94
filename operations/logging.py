"""JSON log lines for the council's log collector (LOG_FORMAT=json), with no personal data.

A message's arguments may be a child's name or identifier (logger.info("imported %s", child)), so a JSON
line carries the message as written in the code, with each argument that is not a number replaced by
"[withheld]"; numbers stay, as the service's logs carry database ids. Extra attributes are not printed.
Exceptions arrive already reduced to their type and code locations by audit.logging.RedactExceptionsFilter;
this formatter withholds their text again in case a handler was configured without that filter."""

import datetime as dt
import json
import logging

from audit.logging import redacted_traceback

WITHHELD = "[withheld]"


def _safe_arg(value: object) -> object:
    return value if isinstance(value, int | float) and not isinstance(value, bool) else WITHHELD


def safe_message(record: logging.LogRecord) -> str:
    template = str(record.msg) if isinstance(record.msg, str) else WITHHELD
    if not record.args:
        return template
    args = record.args
    try:
        if isinstance(args, dict):
            return template % {key: _safe_arg(value) for key, value in args.items()}
        return template % tuple(_safe_arg(value) for value in args)
    except (TypeError, ValueError, KeyError):  # a %d given "[withheld]", or a bad template: the template alone
        return template


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": safe_message(record),
            "module": record.module,
            "line": record.lineno,
        }
        if record.exc_info and record.exc_info[0] is not None:
            line["exception"] = redacted_traceback(record.exc_info)
        elif record.exc_text:
            line["exception"] = record.exc_text  # already redacted by RedactExceptionsFilter
        return json.dumps(line, ensure_ascii=False)
