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


INSERT_OR_UPDATE = "modelsearch.tasks.insert_or_update_object_task"


class IndexingDeferred(RuntimeError):
    """An external index (Elasticsearch) could not be updated. The task
    fails, so the ORM broker hands it out again after Q_CLUSTER["retry"]
    seconds (up to "max_attempts"); the database index is current already."""


def insert_or_update(app_label: str, model_name: str, pk) -> None:
    """Wagtail's index update, telling a failed external backend apart.

    Wagtail's own ``index.insert_or_update_object`` logs and forgets an
    Elasticsearch error, so an outage would leave the index stale until the
    next full rebuild. Here every backend still gets the object, and the
    task then fails if one could not take it, to be retried later.
    """
    from django.apps import apps
    from modelsearch.index import get_indexed_instance
    from wagtail.search.backends import get_search_backends_with_name

    from portal.health import classify

    instance = apps.get_model(app_label, model_name).objects.get(pk=pk)
    indexed = get_indexed_instance(instance)
    if not indexed:
        return
    failed = []
    for name, backend in get_search_backends_with_name(with_auto_update=True):
        try:
            backend.add(indexed)
        except Exception as exc:
            if not backend.catch_indexing_errors:
                raise  # a database backend: the transaction is broken
            failed.append(name)
            logger.warning(
                "Search backend %s could not index %s.%s %s (%s): retried later",
                name,
                app_label,
                model_name,
                pk,
                classify(exc)[0],
            )
    if failed:
        raise IndexingDeferred(f"index update deferred: {', '.join(failed)}")


def run_task(module_path: str, args: list, kwargs: dict):
    """Run a django-tasks task inside a django-q2 worker.

    An object deleted between its save and this run has left the index
    already (deletes are removed at once), so a missing object is not an
    error.
    """
    if module_path == INSERT_OR_UPDATE:
        try:
            return insert_or_update(*args, **kwargs)
        except ObjectDoesNotExist:
            logger.info(
                "Not indexing %s%r: the object no longer exists", module_path, args
            )
            return None
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
        try:
            send()
        except IndexingDeferred:
            # Synchronous mode (tests, a site without a cluster) has no queue
            # to retry from: the failure is logged, the request goes on.
            logger.warning(
                "Index update of %s%r not retried (sync mode)", module_path, args
            )
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
