"""The background worker: runs the queued tasks (imports, recomputes, the plan digest) and queues the periodic ones.

    python manage.py run_worker [--once] [--interval SECONDS]

Run one or more beside the web server, each under a supervisor that restarts it (systemd, a container's restart
policy); `make run` starts one. --once runs every task ready now, queues what is due, and exits (tests, or a
one-off catch-up). docs/decisions/0033-task-queue.md says why it is built this way.
"""

import logging
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import OperationalError, close_old_connections
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from operations import queue as work_queue
from operations import scheduler

log = logging.getLogger("operations.worker")


class Command(BaseCommand):
    help = "Run the background worker: queued tasks, and the nightly and weekly work when it is due."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="run the tasks ready now and what is due, then exit")
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between looks at an empty queue")
        parser.add_argument("--queue", dest="queues", default="*", help="queues to take tasks from (all: *)")

    def handle(self, *args: Any, once: bool, interval: float, queues: str, **options: Any) -> None:
        worker_id = work_queue.new_worker_id()
        worker = Worker(
            queue_names=queues.split(","),
            interval=0,
            batch=True,
            backend_name=DEFAULT_TASK_BACKEND_ALIAS,
            startup_delay=False,
            max_tasks=None,
            worker_id=worker_id,
            excluded_queue_names=[],
        )
        work_queue.register(worker_id)
        log.info("worker %s started", worker_id)
        try:
            if once:
                self._pass(worker, once=True)
                work_queue.heartbeat(worker_id)
                return
            worker.configure_signals()  # SIGTERM, SIGINT: finish the task in hand, then stop
            with work_queue.Beating(worker_id):
                while worker.running:
                    self._pass(worker)
                    if worker.running:
                        time.sleep(interval)
        finally:
            work_queue.unregister(worker_id)
            log.info("worker %s stopped", worker_id)

    def _pass(self, worker: Worker, once: bool = False) -> None:
        if not once:
            close_old_connections()  # as Django does between requests (not in --once: a test's transaction)
        work_queue.recover_lost()
        scheduler.queue_due()
        while worker.running and (task := self._claim(worker)) is not None:
            worker.run_task(task)  # django-tasks-db's: marks the task successful, or failed with its exception

    def _claim(self, worker: Worker) -> DBTaskResult | None:
        """The next ready task, claimed for this worker in an exclusive transaction (SQLite) or with SKIP LOCKED
        (PostgreSQL), as django-tasks-db's own worker does; None when there is none or the database is busy."""
        tasks = DBTaskResult.objects.ready().filter(backend_name=worker.backend_name)
        if not worker.process_all_queues:
            tasks = tasks.filter(queue_name__in=worker.queue_names)
        try:
            with exclusive_transaction(tasks.db):
                task = tasks.get_locked()
                if task is not None:
                    task.claim(worker.worker_id)
                return task
        except OperationalError as exc:
            if is_locked_database_exception(exc):
                return None
            raise
