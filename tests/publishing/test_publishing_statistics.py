"""Transparency statistics: aggregate figures, small groups never shown."""

import pytest

from publishing import statistics
from publishing.models import StatisticsSnapshot, TransparencyStatisticsPage
from publishing.tasks import refresh_statistics
from tests.testkit.factories import SupervisionCaseFactory


def _cells(*counts, minimum=5):
    return [statistics._cell(f"分组{i}", n, minimum) for i, n in enumerate(counts)]


def test_small_groups_are_suppressed_and_zero_is_shown():
    table = statistics._table("t", _cells(0, 3, 12, 7), 5)
    assert [r["display"] for r in table["rows"]] == ["0", "少于5", "12", "少于5"]
    # The second suppression stops 3 being recovered from the total.
    assert all("count" not in r for r in table["rows"] if r["suppressed"])
    assert table["total_display"] == "22"
    assert [r["width"] for r in table["rows"]] == [0, 0, 100, 0]


def test_two_small_groups_need_no_second_suppression():
    table = statistics._table("t", _cells(1, 2, 40), 5)
    assert [r["display"] for r in table["rows"]] == ["少于5", "少于5", "40"]


def test_a_small_total_is_suppressed_too():
    table = statistics._table("t", _cells(2, 0), 5)
    assert table["total"] is None
    assert table["total_display"] == "少于5"


@pytest.mark.django_db
def test_compute_reads_casework_and_hides_small_figures(settings):
    settings.PUBLISHING_STATISTICS_MIN_GROUP = 3
    for _ in range(4):
        SupervisionCaseFactory()
    data = statistics.compute()
    stages = data["tables"][0]
    filed = next(r for r in stages["rows"] if r["label"] == "立案")
    assert filed["display"] == "4"
    assert data["headline"]["rows"][0] == {
        "label": "监督案件总数",
        "count": 4,
        "suppressed": False,
        "display": "4",
        "width": 100.0,
    }
    assert data["on_time"]["suppressed"] is True
    settings.PUBLISHING_STATISTICS_MIN_GROUP = 5
    filed = next(
        r for r in statistics.compute()["tables"][0]["rows"] if r["label"] == "立案"
    )
    assert filed["display"] == "少于5"


@pytest.mark.django_db
def test_the_task_stores_a_snapshot_and_keeps_only_the_latest(settings):
    for _ in range(statistics.KEEP_SNAPSHOTS + 2):
        refresh_statistics()
    assert StatisticsSnapshot.objects.count() == statistics.KEEP_SNAPSHOTS


@pytest.mark.django_db
def test_the_page_costs_the_same_whatever_the_casework_volume(
    site_home, client, django_assert_max_num_queries
):
    page = TransparencyStatisticsPage(title="数据公开", slug="statistics")
    site_home.add_child(instance=page)
    page.save_revision().publish()
    assert "统计数据正在生成" in client.get(page.url).content.decode()
    refresh_statistics()
    client.get(page.url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as before:
        html = client.get(page.url).content.decode()
    assert "按办理环节统计的案件数" in html
    for _ in range(6):
        SupervisionCaseFactory()
    refresh_statistics()
    expected = len(before.captured_queries)  # a request empties the query log
    client.get(page.url)  # the menu, read again after the purge
    with django_assert_max_num_queries(expected):
        html = client.get(page.url).content.decode()
    assert "<svg" in html and "<table" in html
    assert "<script" not in html.split("</header>")[1]


@pytest.mark.django_db
def test_headline_figures_are_independent_and_notices_are_always_counted(settings):
    settings.PUBLISHING_STATISTICS_MIN_GROUP = 5
    for _ in range(6):
        SupervisionCaseFactory()
    headline = statistics.compute()["headline"]
    assert [r["display"] for r in headline["rows"]] == ["6", "0", "0"]
    assert headline["total"] is None
