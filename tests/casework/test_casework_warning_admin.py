"""Deadline warnings in the admin: 我的提醒, the dashboard, the schedules."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_q.models import Schedule

from casework import deadlines, services
from casework.models import WarningNotice
from tests.testkit.factories import SupervisionCaseFactory


@pytest.fixture
def warned(make_case, clock, head, investigator, investigator2):
    """Two cases filed 2026-09-01, both warned red on 2026-10-09."""
    clock.set(datetime.date(2026, 9, 1))
    cases = []
    for title in ("甲公司行政处罚案执法监督", "乙公司行政处罚案执法监督"):
        case = make_case(title=title, filed_on=datetime.date(2026, 9, 1))
        services.assign_investigator(case, investigator, user=head, is_lead=True)
        services.assign_investigator(case, investigator2, user=head)
        cases.append(case)
    deadlines.check_deadlines(datetime.date(2026, 10, 9))
    return cases


def test_my_warnings_lists_and_marks_read(client, warned, investigator, liaison):
    client.force_login(investigator)
    url = reverse("casework_warnings:index")
    page = client.get(url).content.decode()
    assert "未读（2）" in page
    assert warned[0].number in page and "调查终结期限已于2026年10月8日届满" in page
    first = WarningNotice.objects.filter(recipient=investigator).first()
    response = client.post(
        reverse("casework_warnings:mark_read"), {"notice": [first.pk]}
    )
    assert response.status_code == 302
    assert "未读（1）" in client.get(url).content.decode()
    client.post(reverse("casework_warnings:mark_read"), {"notice": ["x"]})
    assert "未读（1）" in client.get(url).content.decode()
    client.post(reverse("casework_warnings:mark_read"))
    assert "没有未读的期限提醒" in client.get(url).content.decode()
    assert warned[1].number in client.get(url + "?show=all").content.decode()
    # Nobody marks another person's notices.
    assert WarningNotice.objects.filter(read_at__isnull=True).count() == 4
    # A liaison has no notice for a decision period (not theirs to meet).
    client.force_login(liaison)
    assert "还没有收到" in client.get(url + "?show=all").content.decode()
    assert client.get(reverse("casework_warnings:all")).status_code == 302


def test_the_office_sees_every_warning(client, warned, head):
    client.force_login(head)
    page = client.get(reverse("casework_warnings:all") + "?level=red").content.decode()
    assert page.count("红色预警（已逾期）") >= 2
    assert all(case.number in page for case in warned)


def test_dashboard_shows_warnings_and_risks(client, warned, head, investigator):
    client.force_login(head)
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "我的期限提醒（2条未读）" in page
    assert "易错风险点" in page
    assert "近六个月存在问题的案件数" in page
    client.force_login(investigator)
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    assert warned[0].number in page


def test_my_warnings_query_count_does_not_grow(
    client, make_case, clock, head, investigator, investigator2
):
    client.force_login(investigator)
    url = reverse("casework_warnings:index") + "?show=all"
    counts = []
    for n in (1, 4):
        clock.set(datetime.date(2026, 9, 1))
        while WarningNotice.objects.filter(recipient=investigator).count() < n:
            case = make_case(filed_on=datetime.date(2026, 9, 1))
            services.assign_investigator(case, investigator, user=head, is_lead=True)
            deadlines.check_deadlines(datetime.date(2026, 10, 9))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_schedules_come_from_the_migration(db):
    schedules = {
        s.name: s for s in Schedule.objects.filter(name__startswith="casework-")
    }
    assert {name: s.func for name, s in schedules.items()} == {
        "casework-deadline-check": "casework.tasks.check_deadlines",
        "casework-risk-points": "casework.tasks.detect_risk_points",
        "casework-periodic-reports": "casework.tasks.generate_due_reports",
    }
    assert all(
        s.schedule_type == Schedule.DAILY and s.repeats == -1
        for s in schedules.values()
    )


def test_overdue_filter_includes_every_period(client, db, clock, head):
    """The case list's overdue filter uses SupervisionCase.objects.overdue."""
    case = SupervisionCaseFactory(filed_on=datetime.date(2025, 9, 1))
    client.force_login(head)
    page = client.get(reverse("casework_case:index") + "?overdue=true").content.decode()
    assert case.number in page


def test_dashboard_query_count_does_not_grow(
    client, make_case, clock, head, investigator
):
    client.force_login(head)
    counts = []
    for n in (1, 5):
        clock.set(datetime.date(2026, 9, 1))
        while WarningNotice.objects.filter(recipient=head).count() < n:
            case = make_case(filed_on=datetime.date(2026, 9, 1))
            services.assign_investigator(case, investigator, user=head, is_lead=True)
            deadlines.check_deadlines(datetime.date(2026, 10, 9))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("wagtailadmin_home")).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
