import io
import json
import logging
import logging.config

import pytest
from django.conf import settings

from audit.logging import RedactExceptionsFilter
from operations.logging import JsonFormatter, safe_message

NAME, LA_ID, BORN = "Jayden Okonkwo-Smith", "LA0049321", "2011-03-14"


@pytest.fixture
def json_log():
    """A logger wired as LOG_FORMAT=json wires the console: the redact filter and the JSON formatter."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactExceptionsFilter())
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("los.test.json")
    logger.addHandler(handler)
    logger.propagate = False
    logger.setLevel(logging.INFO)
    yield logger, stream
    logger.removeHandler(handler)


def lines(stream: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_names_and_identifiers_in_message_arguments_are_withheld_ids_kept(json_log):
    logger, stream = json_log
    logger.warning("child %s (%s) failed rule %s on run %d", NAME, LA_ID, "8500", 42)
    [line] = lines(stream)
    assert line["message"] == "child [withheld] ([withheld]) failed rule [withheld] on run 42"
    assert line["level"] == "WARNING" and line["logger"] == "los.test.json"
    assert NAME not in stream.getvalue() and LA_ID not in stream.getvalue()


def test_exception_text_naming_a_child_is_not_printed(json_log):
    logger, stream = json_log
    try:
        raise ValueError(f"duplicate child {NAME} {LA_ID} born {BORN}")
    except ValueError:
        logger.exception("import of run %s failed", 7)
    [line] = lines(stream)
    out = stream.getvalue()
    assert NAME not in out and LA_ID not in out and BORN not in out
    assert line["message"] == "import of run 7 failed"
    assert line["exception"].endswith("ValueError") and "test_logging.py" in line["exception"]


def test_exception_withheld_even_without_the_redact_filter():
    record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", None, None)
    try:
        raise KeyError(NAME)
    except KeyError:
        import sys

        record.exc_info = sys.exc_info()
    out = JsonFormatter().format(record)
    assert NAME not in out and json.loads(out)["exception"].endswith("KeyError")


@pytest.mark.parametrize(
    "msg, args, expected",
    [
        ("plain", None, "plain"),
        ("%(who)s saw %(n)d", {"who": NAME, "n": 3}, "[withheld] saw 3"),
        ("run %d of %s", (True, NAME), "run %d of %s"),  # a bool is not an id; %d of "[withheld]" fails: template
        ("bad %s %s", (1,), "bad %s %s"),
    ],
)
def test_safe_message_edges(msg, args, expected):
    record = logging.LogRecord("x", logging.INFO, __file__, 1, msg, args, None)
    assert safe_message(record) == expected


def test_log_format_json_selects_the_formatter(monkeypatch):
    import importlib

    import config.settings as config_settings

    monkeypatch.setenv("LOG_FORMAT", "json")
    reloaded = importlib.reload(config_settings)
    try:
        assert reloaded.LOGGING["handlers"]["console"]["formatter"] == "json"
        assert reloaded.LOGGING["formatters"]["json"]["()"] == "operations.logging.JsonFormatter"
    finally:
        monkeypatch.delenv("LOG_FORMAT")
        importlib.reload(config_settings)
    assert "formatter" not in settings.LOGGING["handlers"]["console"]
