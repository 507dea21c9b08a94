"""Keep children's personal details out of application logs.

Exception messages can carry data (an IntegrityError quotes the row, a
ValueError quotes the input), so tracebacks are reduced to exception types
and code locations before any handler sees them."""

import logging
import traceback


def redacted_traceback(exc_info: tuple) -> str:
    exc_type, _, tb = exc_info
    frames = traceback.extract_tb(tb)
    lines = [f'  File "{f.filename}", line {f.lineno}, in {f.name}' for f in frames]
    name = exc_type.__name__ if exc_type else "Exception"
    return "Traceback (message withheld: it may contain personal data):\n" + "\n".join(lines) + f"\n{name}"


class RedactExceptionsFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.exc_info[0] is not None:
            record.exc_text = redacted_traceback(record.exc_info)
            record.exc_info = None
        # Django attaches the request object; its repr can include POST data.
        if hasattr(record, "request"):
            record.request = None
        return True
