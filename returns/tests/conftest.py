from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"


@pytest.fixture(autouse=True)
def uploads(settings, tmp_path):
    settings.RETURNS_UPLOAD_DIR = tmp_path / "uploads"
    settings.RETURNS_RUN_INLINE = True
    return settings.RETURNS_UPLOAD_DIR
