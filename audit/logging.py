"""Keep children's personal details out of application logs.

Exception messages can carry data (an IntegrityError quotes the row, a
ValueError quotes the input), so tracebacks are reduced to exception types
and code locations before any handler sees them."""

import logging
import re
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


# An absolute path (two or more /-separated parts, or a Windows drive path), as exception texts quote them.
SERVER_PATH = re.compile(r"(?:[A-Za-z]:\\|/)(?:[^\s'\"/\\:]+[/\\])+([^\s'\"/\\:]*)")


def error_for_people(exc: BaseException) -> str:
    """An exception as a page or a run's message may show it: its kind and text, with no server path
    (the file's own name is kept, as the person who uploaded it knows it)."""
    if isinstance(exc, OSError) and exc.strerror:
        return f"{exc.__class__.__name__}: {exc.strerror}"  # OSError's text quotes the full path
    return f"{exc.__class__.__name__}: {SERVER_PATH.sub(lambda m: m.group(1), str(exc))}".rstrip(": ")
