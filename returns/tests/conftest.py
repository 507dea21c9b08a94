from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"

# Tasks run at once, in the process that queues them (django-tasks' immediate backend): a page that queues a
# preview or commit has run it when it answers. The queue itself, with a worker, is tested in
# operations/tests/test_queue.py and returns/tests/test_queued_imports.py.
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def uploads(settings, tmp_path):
    settings.RETURNS_UPLOAD_DIR = tmp_path / "uploads"
    settings.TASKS = IMMEDIATE
    return settings.RETURNS_UPLOAD_DIR
