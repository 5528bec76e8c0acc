"""Index updates go through django-q2, after the transaction commits."""

from django_q.conf import Conf
from django_q.models import OrmQ
from wagtail.search.backends import get_search_backend

from portal.models import HomePage
from search import tasks


def test_saves_are_indexed_through_the_cluster(
    home_page, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(Conf, "SYNC", False)
    monkeypatch.setattr(Conf, "ORM", "default")
    queued = OrmQ.objects.count()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        page = HomePage(title="后台索引测试", intro="<p>容错纠错机制</p>", live=True)
        home_page.add_child(instance=page)
    # Nothing is indexed in the request, nothing queued before the commit.
    assert page.pk not in {
        p.pk for p in get_search_backend().search("纠错机制", HomePage)
    }
    assert callbacks
    for callback in callbacks:
        callback()
    assert OrmQ.objects.count() > queued
    task = OrmQ.objects.order_by("-id").first().task
    assert task["func"] == "search.tasks.run_task"
    assert task["args"][0] == "modelsearch.tasks.insert_or_update_object_task"
    # What the worker runs indexes the page with segmentation.
    tasks.run_task(*task["args"])
    assert page.pk in {p.pk for p in get_search_backend().search("纠错机制", HomePage)}


def test_a_deleted_object_is_not_an_error(db):
    assert (
        tasks.run_task(
            "modelsearch.tasks.insert_or_update_object_task",
            ["portal", "homepage", "999999"],
            {},
        )
        is None
    )


def test_other_tasks_run_immediately(db):
    from wagtail.tasks import update_reference_index_task

    backend = tasks.IndexingTaskBackend("default", {})
    assert update_reference_index_task.module_path not in tasks.INDEXING_TASKS
    assert backend.supports_async_task
    from search.documents import update_documents_task

    assert update_documents_task.module_path in tasks.INDEXING_TASKS
