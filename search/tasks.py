"""Background indexing: a task that indexes the documents whose changes have settled (search.sync).

Every announcement enqueues one for the time its document falls due, so each due time has its task; a
task indexes everything due when it runs, so tasks that find nothing left are cheap.
"""

from django_tasks import task

from search import sync


@task()
def index_pending(due_only=True):
    """Index the pending documents that are due (or all of them); returns how many."""
    return sync.index_pending(due_only=due_only)
