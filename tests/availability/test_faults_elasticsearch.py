"""Elasticsearch down (nothing listens on its port): public search, staff
search, the API and the admin's search fall back to the database index and
log it, /healthz names it, index updates are kept for a retry."""

import logging

import pytest
from django.urls import reverse
from django.utils.html import strip_tags
from faults_helpers import DEAD_ELASTICSEARCH_URL
from wagtail import hooks
from wagtail.models import Page, Site

from casework.search_documents import search_documents, staff_search_sources
from portal.models import HomePage
from search import fallback
from search import sources as search_sources
from search.tasks import INSERT_OR_UPDATE, IndexingDeferred, run_task
from tests.testkit.factories import HeadFactory, SupervisionCaseFactory

pytestmark = pytest.mark.django_db

DATABASE_ONLY = {
    "default": {"BACKEND": "search.backends.database", "SEARCH_CONFIG": "simple"}
}
WITH_DEAD_ELASTICSEARCH = {
    "default": {
        "BACKEND": "search.backends.elasticsearch",
        "URLS": [DEAD_ELASTICSEARCH_URL],
        "INDEX_PREFIX": "faults-",
        "TIMEOUT": 2,
        "OPTIONS": {},
        "INDEX_SETTINGS": {},
    },
    "database": DATABASE_ONLY["default"],
}


@pytest.fixture(autouse=True)
def _fresh_state(settings):
    settings.SEARCH_RATE_LIMIT = 0
    fallback.state.reset()
    yield
    fallback.state.reset()


@pytest.fixture
def elasticsearch_down(settings):
    def switch():
        settings.ELASTICSEARCH_URL = DEAD_ELASTICSEARCH_URL
        settings.WAGTAILSEARCH_BACKENDS = WITH_DEAD_ELASTICSEARCH

    return switch


TEXTS = [
    ("关于张某被举报问题的澄清正名公告", "经查，举报不属实，符合容错免责情形。"),
    ("容错免责情形的政策解读", "从轻、减轻或者免责的十种情形。"),
    ("履职尽责的九种情形", "行政执法人员履职尽责，不予追责。"),
]


@pytest.fixture
def corpus(db, monkeypatch):
    """Pages indexed on save (by the database backend), under the default
    site, registered as the only public search source."""
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        home = Page.get_first_root_node().add_child(
            instance=HomePage(title="首页", live=True)
        )
        site = Site.objects.create(
            hostname="localhost", root_page=home, is_default_site=True
        )
    section = site.root_page.add_child(instance=HomePage(title="公告", live=True))
    for title, text in TEXTS:
        section.add_child(instance=HomePage(title=title, intro=text, live=True))

    def register():
        return [
            {
                "key": "notice",
                "label": "公告",
                "model": HomePage,
                "queryset": lambda: HomePage.objects.live().child_of(section),
            }
        ]

    with hooks.register_temporarily("register_search_sources", register):
        monkeypatch.setattr(
            search_sources,
            "public_sources",
            lambda: [search_sources.Source.from_dict(d) for d in register()],
        )
        yield section


def public_titles(client, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    return [strip_tags(row["title"]) for row in response.context["results"]]


def test_public_search_answers_from_the_database_and_logs_it(
    client, corpus, elasticsearch_down, caplog
):
    expected = public_titles(client, "容错免责")
    assert len(expected) == 2
    elasticsearch_down()
    with caplog.at_level(logging.WARNING, logger="search.fallback"):
        assert public_titles(client, "容错免责") == expected
        assert public_titles(client, "履职尽责") == ["履职尽责的九种情形"]
    warnings = [r.getMessage() for r in caplog.records if r.name == "search.fallback"]
    # Logged once, with the reason and without the address.
    assert len(warnings) == 1
    assert "connection_refused" in warnings[0]
    assert "127.0.0.1" not in warnings[0]
    # Elasticsearch is left alone for a while instead of being asked again.
    assert not fallback.state.available()


def test_staff_search_falls_back_for_sources_with_their_own_document(
    client, db, elasticsearch_down
):
    head = HeadFactory()
    case = SupervisionCaseFactory(title="某公司违规排放容错免责认定执法监督")
    SupervisionCaseFactory(title="无关的案件")
    with (
        hooks.register_temporarily(
            "register_staff_search_sources", staff_search_sources
        ),
        hooks.register_temporarily("register_search_documents", search_documents),
    ):
        client.force_login(head)
        url = reverse("staff_search:index")
        before = client.get(url, {"q": "违规排放"})
        elasticsearch_down()
        after = client.get(url, {"q": "违规排放"})
    assert after.status_code == 200
    found = [strip_tags(r["title"]) for r in after.context["results"]]
    assert len(found) == 1 and case.number in found[0]
    assert found == [strip_tags(r["title"]) for r in before.context["results"]]


def test_api_and_admin_search_fall_back(admin_client, corpus, elasticsearch_down):
    before = admin_client.get("/api/v2/pages/", {"search": "容错免责"}).json()
    elasticsearch_down()
    after = admin_client.get("/api/v2/pages/", {"search": "容错免责"})
    assert after.status_code == 200
    assert after.json()["meta"]["total_count"] == before["meta"]["total_count"] == 2
    admin = admin_client.get("/admin/pages/search/", {"q": "容错免责"})
    assert admin.status_code == 200
    assert "容错免责情形的政策解读" in admin.content.decode()


def test_index_updates_are_kept_in_the_database_and_retried_for_elasticsearch(
    corpus, elasticsearch_down
):
    from wagtail.search.backends import get_search_backend

    elasticsearch_down()
    page = corpus.add_child(instance=HomePage(title="独一无二的鸿鹄标题", live=True))
    # The task raises so that django-q2 hands it out again later (the ORM
    # broker keeps a failed task unless ack_failures); the database index
    # took the page already.
    with pytest.raises(IndexingDeferred):
        run_task(INSERT_OR_UPDATE, ["portal", "homepage", str(page.pk)], {})
    found = get_search_backend("database").search("鸿鹄", Page)
    assert [p.pk for p in found] == [page.pk]


def test_healthz_names_elasticsearch_while_search_serves(
    client, corpus, elasticsearch_down
):
    elasticsearch_down()
    response = client.get("/healthz")
    assert response.status_code == 503
    check = response.json()["checks"]["elasticsearch"]
    assert (check["ok"], check["code"], check["reason"]) == (
        False,
        "connection_refused",
        "连接被拒绝",
    )
    assert public_titles(client, "容错免责")
