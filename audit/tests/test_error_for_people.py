"""Error messages shown on pages and stored on runs never show a server path."""

import pytest

from audit.logging import error_for_people

UPLOADS = "/srv/lineofsight/var/returns"


@pytest.mark.parametrize(
    ("exc", "shown"),
    [
        (
            FileNotFoundError(2, "No such file or directory", f"{UPLOADS}/run-5-ab12.cin"),
            "FileNotFoundError: No such file or directory",
        ),
        (PermissionError(13, "Permission denied", UPLOADS), "PermissionError: Permission denied"),
        (
            ValueError(f"cannot read {UPLOADS}/run-5-ab12.xlsx: truncated"),
            "ValueError: cannot read run-5-ab12.xlsx: truncated",
        ),
        (ValueError(r"bad C:\Users\clerk\annex.xlsx here"), "ValueError: bad annex.xlsx here"),
        (
            KeyError("There is no item named 'xl/sharedStrings.xml' in the archive"),
            "KeyError: \"There is no item named 'xl/sharedStrings.xml' in the archive\"",
        ),
        (ValueError("3 of 4 rows, 1/2 done"), "ValueError: 3 of 4 rows, 1/2 done"),
        (RuntimeError(), "RuntimeError"),
    ],
)
def test_errors_are_shown_without_server_paths(exc, shown):
    assert error_for_people(exc) == shown


def test_a_failed_import_run_message_has_no_server_path():
    from returns import services

    message = services._described(FileNotFoundError(2, "No such file or directory", f"{UPLOADS}/run-9-ff.cin"))
    assert UPLOADS not in message and "run-9-ff" not in message
    assert message == "FileNotFoundError: No such file or directory"
