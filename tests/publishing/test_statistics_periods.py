"""The public statistics page (数据公开, issue #17): a period selector over the
measure's years, quarters and months, a CSV of what is shown, the office
rule behind 少于5 said in words, and the outcome categories of the periodic
report."""

from __future__ import annotations

import csv
import datetime
import io
from urllib.parse import unquote

import pytest

from casework.rules.articles import OUTCOME_GROUPS
from publishing import statistics
from publishing.models import TransparencyStatisticsPage
from publishing.tasks import refresh_statistics
from tests.testkit.factories import SupervisionCaseFactory


def test_periods_run_from_the_measure_to_today():
    keys = [p.key for p in statistics.periods(datetime.date(2025, 5, 10))]
    # Years, then quarters, then months, latest first; nothing before March
    # 2025 (Art. 24) or after today.
    assert keys == ["2025", "2025-Q2", "2025-Q1", "2025-05", "2025-04", "2025-03"]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2024", "没有2024年的统计数据"),
        ("2025-13", "月份应为1至12"),
        ("2025-Q5", "统计期间格式不正确"),
        ("abc", "统计期间格式不正确"),
        ("<script>", "统计期间格式不正确"),
    ],
    ids=["before-the-measure", "month-13", "quarter-5", "word", "markup"],
)
def test_bad_periods_are_refused_in_chinese(value, message):
    with pytest.raises(statistics.PeriodError, match=message):
        statistics.parse_period(value, ["2025", "2025-Q1", "2025-03"])


def test_no_period_means_everything():
    assert statistics.parse_period("", ["2025"]) is None
    assert statistics.parse_period("2025", ["2025"]) == "2025"


@pytest.mark.django_db
def test_outcomes_use_the_periodic_reports_categories():
    SupervisionCaseFactory()
    outcomes = statistics.compute(5)["tables"][1]
    assert [row["label"] for row in outcomes["rows"]] == [
        label for label, _members in OUTCOME_GROUPS
    ]


@pytest.fixture
def stats_page(site_home):
    page = TransparencyStatisticsPage(title="数据公开", slug="statistics")
    site_home.add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.mark.django_db
def test_the_page_selects_a_period_downloads_it_and_refuses_bad_input(
    stats_page, client, settings
):
    settings.PUBLISHING_STATISTICS_MIN_GROUP = 5
    for _ in range(6):
        SupervisionCaseFactory()  # filed 2025-09-01
    for _ in range(2):
        SupervisionCaseFactory(filed_on=datetime.date(2025, 10, 8))
    refresh_statistics()

    html = client.get(stats_page.url, {"period": "2025-09"}).content.decode()
    assert 'value="2025-09" selected' in html
    assert "2025年9月" in html and "本机构工作规则" in html
    # 6 in September would give away October's 2 (2025: 8, Q3: 6, Q4: 少于5),
    # so September is hidden with it; the year stays published.
    assert (
        '<span class="stat-card__value">少于5</span>'
        '<span class="stat-card__label">新立案件' in html
    )
    year = client.get(stats_page.url, {"period": "2025"}).content.decode()
    assert (
        '<span class="stat-card__value">8</span><span class="stat-card__label">新立案件'
        in year
    )
    # 容错免责人次 says whose reading it counts, from the registry.
    assert "本机构理解：“容错免责”指予以免责" in year
    assert "按期作出决定的比例（第十七条）" in year and "按期办结率" not in year

    october = client.get(stats_page.url, {"period": "2025-10"}).content.decode()
    assert (
        '<span class="stat-card__value">少于5</span>'
        '<span class="stat-card__label">新立案件' in october
    )

    response = client.get(stats_page.url, {"period": "2025-10", "format": "csv"})
    assert response.status_code == 200
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content[3:].decode(), newline="")))
    assert ["统计期间", "2025年10月"] in rows
    assert ["主要数据", "新立案件", "少于5"] in rows
    assert not any(cell == "2" for row in rows for cell in row[2:])
    header = response["Content-Disposition"]
    assert 'filename="statistics-2025-10.csv"' in header
    assert unquote(header.split("UTF-8''")[1]) == "数据公开-2025年10月.csv"

    for bad in ("2024", "2025-Q9", "x" * 40):
        page = client.get(stats_page.url, {"period": bad})
        assert page.status_code == 400
        assert "统计期间" in page.content.decode() or "没有" in page.content.decode()
        download = client.get(stats_page.url, {"period": bad, "format": "csv"})
        assert download.status_code == 400
        assert download["Content-Type"].startswith("text/plain")


@pytest.mark.django_db
def test_a_period_and_its_download_cost_a_fixed_number_of_queries(
    stats_page, client, settings, django_assert_num_queries
):
    settings.PUBLISHING_STATISTICS_MIN_GROUP = 5
    refresh_statistics()
    client.get(stats_page.url)  # site and page caches warm

    def count(params):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(stats_page.url, params).status_code == 200
        return len(queries.captured_queries)

    small = {
        "page": count({"period": "2025-09"}),
        "csv": count({"period": "2025-09", "format": "csv"}),
    }
    for _ in range(7):
        SupervisionCaseFactory()
    refresh_statistics()
    with django_assert_num_queries(small["page"]):
        client.get(stats_page.url, {"period": "2025-09"})
    with django_assert_num_queries(small["csv"]):
        client.get(stats_page.url, {"period": "2025-09", "format": "csv"})
    # The download reads the snapshot only: the page's route, the snapshot.
    assert small["csv"] <= small["page"]
