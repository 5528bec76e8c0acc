"""Index updates in the background, through django-q2.

Wagtail 8 updates its search index from ``django-tasks`` tasks
(``modelsearch.tasks.insert_or_update_object_task`` on every save of an
indexed object). :class:`IndexingTaskBackend` is the ``TASKS`` backend that
hands those tasks to the django-q2 cluster once the saving transaction has
committed, so a request never waits for segmentation and indexing. Every other
task runs as Django's immediate backend runs it: this module changes nothing
but indexing.

With ``Q_CLUSTER["sync"]`` (the test settings) django-q2 runs the task in the
calling process at once, as the immediate backend would.
"""

from __future__ import annotations

import logging

from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_q.conf import Conf
from django_q.tasks import async_task
from django_tasks.backends.immediate import ImmediateBackend
from django_tasks.base import TaskResult, TaskResultStatus
from django_tasks.utils import get_random_id

logger = logging.getLogger(__name__)

#: The tasks that update a search index; the only ones sent to django-q2.
INDEXING_TASKS = frozenset(
    {
        "modelsearch.tasks.insert_or_update_object_task",
        "search.documents.update_documents_task",
    }
)
TASK_GROUP = "search-index"


def run_task(module_path: str, args: list, kwargs: dict):
    """Run a django-tasks task inside a django-q2 worker.

    An object deleted between its save and this run has left the index
    already (deletes are removed at once), so a missing object is not an
    error.
    """
    task = import_string(module_path)
    try:
        return task.call(*args, **kwargs)
    except ObjectDoesNotExist:
        logger.info("Not indexing %s%r: the object no longer exists", module_path, args)
        return None


def send_to_cluster(module_path: str, args, kwargs) -> None:
    """Queue a task for django-q2 after the current transaction commits."""

    def send():
        async_task(
            "search.tasks.run_task",
            module_path,
            list(args),
            dict(kwargs),
            q_options={"group": TASK_GROUP, "save": False},
        )

    if Conf.SYNC:
        send()
    else:
        transaction.on_commit(send, robust=True)


class IndexingTaskBackend(ImmediateBackend):
    """django-tasks backend: indexing through django-q2, the rest immediate."""

    def enqueue(self, task, args, kwargs):
        if task.module_path not in INDEXING_TASKS:
            return super().enqueue(task, args, kwargs)
        self.validate_task(task)
        result = TaskResult(
            task=task,
            id=get_random_id(),
            status=TaskResultStatus.READY,
            enqueued_at=timezone.now(),
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=args,
            kwargs=kwargs,
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )
        send_to_cluster(task.module_path, args, kwargs)
        return result
