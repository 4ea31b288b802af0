"""The background worker: django-tasks-db's worker, after recovering what a killed worker left behind.

django-tasks-db leaves a task whose worker was killed "running" for ever and never runs it again. Sijill's
long work (ingest) is done in units under leases, so nothing is lost with such a task: on start this
worker wakes workers for every unit left claimable (ingest.work.recover). On SIGTERM or Ctrl-C the drain
in hand stops after its current unit, instead of reading a whole batch before the worker may exit.
"""

from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand
from django_tasks_db.management.commands.db_worker import Worker

from ingest import work


class StoppingWorker(Worker):
    def shutdown(self, signum, frame):
        work.stopping = True
        super().shutdown(signum, frame)


class Command(DatabaseWorkerCommand):
    help = "Run Sijill's background worker (ingest, search index) after recovering interrupted work."

    def handle(self, *, verbosity, queue_name, interval, batch, backend_name, startup_delay, max_tasks, worker_id,
               exclude_queues, **options):
        self.configure_logging(verbosity)
        work.recover()
        worker = StoppingWorker(
            queue_names=queue_name.split(","),
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=exclude_queues.split(",") if exclude_queues else [],
        )
        worker.configure_signals()
        worker.run()
