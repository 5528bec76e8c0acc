"""Every page costs a fixed number of queries, whatever the amount of data
(issue #8, Speed): each page is measured on the demo site, then again after
the data behind it has grown about tenfold, against the same ceiling.

Pages already measured this way elsewhere (the policy page and statistics in
tests/publishing, the case list and case page in tests/casework, the report
inbox in tests/reporting) are measured here too, so that one table holds
every page; their own tests keep the finer checks.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse

SMALL, LARGE = 3, 30


@pytest.fixture
def site(public_site, settings):
    # The page cache would answer the second request with no query at all:
    # these counts are the uncached cost.
    settings.PAGE_CACHE_SECONDS = 0
    settings.SEARCH_RATE_LIMIT = 1000
    cache.clear()
    yield public_site
    cache.clear()


def _check(client, pages: dict, limits: dict, assert_max, size: str) -> dict:
    counts = {}
    for name, url in pages.items():
        client.get(url)  # warm per-process caches (content types, site root)
        with assert_max(limits[name], info=f"{name} ({size}): {url}") as ctx:
            response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        counts[name] = len(ctx.captured_queries)
    return counts


# --- public pages -------------------------------------------------------------

# Measured on the publishing demo (the larger of PostgreSQL and SQLite: the
# index pages cost 4 more on PostgreSQL), plus 2 of headroom for other work on
# the shared templates; a query per listed item would add 27 at the larger size.
# Issue #15 took one query off the home page (its lists' view-restriction
# lookup), two off the policy page (its interpretations' restriction lookup
# and the routing of a publication as its own type) and one off the notice
# and interpretation pages (routing).
PUBLIC_LIMITS = {
    "home": 10 + 2,
    "policy": 16 + 2,
    "interpretation": 16 + 2,
    "notice": 13 + 2,
    "notice index": 30 + 2,
    "notice index, year and type": 24 + 2,
    "notice index, page 2": 30 + 2,
    "interpretation index": 30 + 2,
    "statistics": 13 + 2,
    "feed notices rss": 2 + 2,
    "feed notices atom": 2 + 2,
    "feed interpretations rss": 2 + 2,
    "feed interpretations atom": 2 + 2,
    "search": 17 + 2,
    "api listing": 6 + 2,
    "api detail": 7 + 2,
}


def _public_pages() -> dict:
    from publishing.models import (
        ClarificationNoticePage,
        InterpretationPage,
        PolicyDocumentPage,
        TransparencyStatisticsPage,
    )

    notice = ClarificationNoticePage.objects.live().order_by("pk").first()
    interpretation = InterpretationPage.objects.live().order_by("pk").first()
    notices = notice.get_parent().url
    return {
        "home": "/",
        "policy": PolicyDocumentPage.objects.get().url,
        "interpretation": interpretation.url,
        "notice": notice.url,
        "notice index": notices,
        "notice index, year and type": notices + "?year=2025&type=notice",
        "notice index, page 2": notices + "?page=2",
        "interpretation index": interpretation.get_parent().url,
        "statistics": TransparencyStatisticsPage.objects.get().url,
        "feed notices rss": reverse("publishing_notices_rss"),
        "feed notices atom": reverse("publishing_notices_atom"),
        "feed interpretations rss": reverse("publishing_interpretations_rss"),
        "feed interpretations atom": reverse("publishing_interpretations_atom"),
        "search": "/search/?q=澄清",
        "api listing": "/api/v2/pages/?type=publishing.ClarificationNoticePage"
        "&fields=date,issuing_body,body&limit=50",
        "api detail": f"/api/v2/pages/{notice.pk}/",
    }


def _grow_publications(count: int) -> None:
    """``count`` notices and interpretations each, published as an editor
    would, and cases behind the statistics."""
    from publishing.models import (
        ClarificationNoticePage,
        InterpretationPage,
        PolicyDocumentPage,
    )
    from publishing.tasks import refresh_statistics
    from tests.testkit.factories import SupervisionCaseFactory

    notices = ClarificationNoticePage.objects.first().get_parent()
    interpretations = InterpretationPage.objects.first().get_parent()
    policy = PolicyDocumentPage.objects.get()
    for n in range(count):
        notice = ClarificationNoticePage(
            title=f"澄清正名公告第{n}号",
            body="经核查，反映的问题查无实据，予以澄清。\n特此公告。",
            date=datetime.date(2025, 3 + n % 9, 1 + n % 27),
        )
        notices.add_child(instance=notice)
        notice.save_revision().publish()
        interpretation = InterpretationPage(
            title=f"政策解读第{n}篇",
            body="<p>澄清正名的解读。</p>",
            policy=policy,
            article_numbers="9, 16, 22",
            date=datetime.date(2025, 3 + n % 9, 1 + n % 27),
        )
        interpretations.add_child(instance=interpretation)
        interpretation.save_revision().publish()
        SupervisionCaseFactory()
    refresh_statistics()


def test_public_pages_cost_the_same_at_any_size(
    client, site, django_assert_max_num_queries
):
    pages = _public_pages()
    small = _check(client, pages, PUBLIC_LIMITS, django_assert_max_num_queries, "s")
    _grow_publications(LARGE - SMALL)
    cache.clear()  # the search rate limit
    large = _check(client, pages, PUBLIC_LIMITS, django_assert_max_num_queries, "l")
    print(
        "public pages (queries small/large):", {k: (small[k], large[k]) for k in pages}
    )


# --- the reporting channel ----------------------------------------------------

REPORTING_LIMITS = {
    "report form": 7 + 2,
    "status lookup form": 6 + 2,
    "status lookup": 12 + 2,
    "status page": 11 + 2,
}


@pytest.fixture
def reports(site):
    """Reports filed through the service, as the public form files them, and
    an office with a supervision officer; the first report's receipt code."""
    from reporting import services
    from reporting.models import Report
    from tests.testkit.factories import HeadFactory, SupervisionOfficerFactory

    codes = []
    for n in range(SMALL):
        _report, code = services.submit_report(
            kind=Report.Kind.REAL_NAME,
            name="王某",
            contact="13800000000",
            subject=f"反映问题{n}",
            description="执法人员检查时未出示证件。",
            agency_text="区综合行政执法局",
        )
        codes.append(code)
    return {
        "code": codes[0],
        "officer": SupervisionOfficerFactory(),
        "head": HeadFactory(),
    }


def _grow_thread(count: int, reports: dict) -> None:
    from reporting import services

    report = services.find_by_receipt(reports["code"])
    office = reports["officer"]
    for n in range(count):
        services.post_office_message(report, user=office, body=f"请补充材料{n}。")
        services.add_reporter_message(report, body=f"补充说明{n}。")


def test_reporting_pages_cost_the_same_at_any_size(
    client, reports, django_assert_max_num_queries
):
    from django.test import Client

    lookup = {
        "report form": reverse("reporting:report"),
        "status lookup form": reverse("reporting:status"),
    }
    status = {"status page": reverse("reporting:status")}
    limits, check = REPORTING_LIMITS, django_assert_max_num_queries
    _grow_thread(SMALL, reports)
    # The forms as a newcomer sees them (no session).
    small = _check(Client(), lookup, limits, check, "s")
    # One lookup (one digest, one query) opens the report for this session.
    with django_assert_max_num_queries(limits["status lookup"]):
        opened = client.post(reverse("reporting:status"), {"code": reports["code"]})
    assert opened.status_code == 302
    small |= _check(client, status, limits, check, "s")
    _grow_thread(LARGE - SMALL, reports)
    large = _check(Client(), lookup, limits, check, "l")
    large |= _check(client, status, limits, check, "l")
    html = client.get(reverse("reporting:status")).content.decode()
    assert f"补充说明{LARGE - SMALL - 1}。" in html
    print("reporting (queries small/large):", {k: (small[k], large[k]) for k in large})


# --- admin pages ---------------------------------------------------------------

# Measured, plus 3 for what the sign-in (second factor) and the audit log
# add per request: a query per row would add 27 at the larger size.
ADMIN_LIMITS = {
    "dashboard": 27 + 3,
    "case list": 17 + 3,
    # Filters and sorting cost no query of their own (issue #15).
    "case list, overdue": 17 + 3,
    "case list, investigator": 18 + 3,
    "case list, by deadline": 17 + 3,
    "case page": 74 + 3,
    "my warnings": 15 + 3,
    "all warnings": 14 + 3,
    "periodic reports": 14 + 3,
    "periodic report": 13 + 3,
    "risk points": 14 + 3,
    "report inbox": 14 + 3,
    "report page": 29 + 3,
}


def _admin_pages(investigator) -> dict:
    from casework.models import PeriodicReport, SupervisionCase
    from reporting.models import Report

    case = SupervisionCase.objects.order_by("pk").first()
    cases = reverse("casework_case:index")
    return {
        "dashboard": reverse("wagtailadmin_home"),
        "case list": cases,
        "case list, overdue": cases + "?overdue=true",
        "case list, investigator": cases + f"?investigator={investigator.pk}",
        "case list, by deadline": cases + "?ordering=-decision_due",
        "case page": reverse("casework_case:detail", args=[case.pk]),
        "my warnings": reverse("casework_warnings:index") + "?show=all",
        "all warnings": reverse("casework_warnings:all"),
        "periodic reports": reverse("casework_reports:index"),
        "periodic report": reverse(
            "casework_reports:detail", args=[PeriodicReport.objects.first().pk]
        ),
        "risk points": reverse("casework_risks:index") + "?status=all",
        "report inbox": reverse("reporting_report:index"),
        "report page": reverse(
            "reporting_report:detail", args=[Report.objects.order_by("pk").first().pk]
        ),
    }


def _grow_casework(count: int, reports: dict, first_month: int) -> None:
    """``count`` cases filed long ago (so overdue and warned about), monthly
    reports and a longer thread on the first report."""
    from casework import reports as periodic
    from casework import tasks
    from casework.models import Agency
    from tests.testkit.factories import AgencyFactory, SupervisionCaseFactory

    agency = Agency.objects.order_by("pk").first() or AgencyFactory()
    for _ in range(count):
        SupervisionCaseFactory(agency=agency)
    tasks.check_deadlines()
    for month in range(first_month, first_month + max(1, count // 3)):
        periodic.generate_report("month", 2025, month, user=reports["head"])
    _grow_thread(count // 3, reports)


def test_admin_pages_cost_the_same_at_any_size(
    client, reports, django_assert_max_num_queries
):
    head = reports["head"]
    _grow_casework(SMALL, reports, first_month=3)
    client.force_login(head)
    pages = _admin_pages(reports["officer"])
    small = _check(client, pages, ADMIN_LIMITS, django_assert_max_num_queries, "s")
    _grow_casework(LARGE - SMALL, reports, first_month=4)
    large = _check(client, pages, ADMIN_LIMITS, django_assert_max_num_queries, "l")
    print(
        "admin pages (queries small/large):",
        {k: (small[k], large[k]) for k in pages},
    )
