"""The deadline engine (casework.services.time_limits): what Art. 15-20 say
about periods, each test named by the article it checks, and the agreement
of the case page, the overdue list and filter, the warning job and the
periodic report on every deadline of every demo case."""

import datetime
import importlib
import io

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from casework import deadlines, services
from casework.calendar import holiday_calendar
from casework.demo import load_casework_demo
from casework.filters import CaseFilterSet
from casework.models import (
    Activity,
    CalendarDay,
    CalendarYear,
    DeadlineWarning,
    Extension,
    Notification,
    Review,
    SupervisionCase,
)
from casework.reports import collect_figures, figure
from casework.rules import periods
from casework.rules.stages import Stage
from tests.testkit.factories import DECIDED_ON, FILED_ON, SERVED_ON, reload

pytestmark = pytest.mark.django_db
D = datetime.date

# FILED_ON (2025-09-01) + 30 days is 10-01, in the National Day holiday
# (10-01 to 10-08, 2025): the decision period ends on Thursday 10-09.
EXPIRY = D(2025, 10, 9)


def by_label(case, on):
    return {row["label"]: row for row in services.deadlines(reload(case), on)}


def appraisal(case, user, started, ended=None):
    return services.record_activity(
        case,
        user=user,
        kind=Activity.Kind.APPRAISAL,
        occurred_on=started,
        summary="委托检测机构对涉案样品进行检测。",
        appraisal_body="济南市产品质量检验院",
        appraisal_started_on=started,
        appraisal_ended_on=ended,
    )


def test_the_decision_period_ends_after_the_national_day_holiday(verifying_case):
    assert reload(verifying_case).decision_due == EXPIRY


# --- Art. 17: extension -----------------------------------------------------------


def test_art17_extension_refused_after_expiry(
    verifying_case, clock, investigator, head, refused
):
    """What has expired cannot be extended: asked or approved after the last
    day, refused; the case stays overdue, visibly."""
    clock.set(EXPIRY + datetime.timedelta(days=1))
    message = refused(
        services.request_extension,
        verifying_case,
        user=investigator,
        days=10,
        reason="需补充调取外地证据。",
    )
    assert "已届满的期限不能延长" in message
    assert "本机构理解" in message
    assert not Extension.objects.exists()
    row = by_label(verifying_case, clock())["调查终结期限"]
    assert row["overdue"] and row["end"] == EXPIRY
    assert SupervisionCase.objects.overdue(clock()).get() == verifying_case


def test_art17_extension_approved_after_expiry_is_refused(
    verifying_case, clock, investigator, head, refused
):
    clock.set(EXPIRY)  # the last day still belongs to the period
    extension = services.request_extension(
        verifying_case, user=investigator, days=10, reason="需补充调取外地证据。"
    )
    clock.set(EXPIRY + datetime.timedelta(days=1))
    message = refused(services.decide_extension, extension, user=head, approve=True)
    assert "已届满的期限不能延长" in message
    assert Extension.objects.get(pk=extension.pk).status == Extension.Status.PENDING
    assert reload(verifying_case).decision_due == EXPIRY
    assert SupervisionCase.objects.overdue(clock()).get() == verifying_case


def test_art17_extension_total_never_exceeds_30_days(
    verifying_case, clock, investigator, head, refused, settings
):
    """Art. 17 caps the length (30 days in total), not the number of requests:
    with the office allowing three requests, 20 + 15 is refused, 20 + 10 is
    the most a case gets."""
    settings.CASEWORK_OFFICE_RULES = {
        **settings.CASEWORK_OFFICE_RULES,
        "extension_requests_max": 3,
    }
    clock.set(D(2025, 9, 25))
    first = services.request_extension(
        verifying_case, user=investigator, days=20, reason="需补充调取外地证据。"
    )
    services.decide_extension(first, user=head, approve=True)
    message = refused(
        services.request_extension,
        verifying_case,
        user=investigator,
        days=15,
        reason="另需现场勘验。",
    )
    assert "合计不得超过30日" in message and "第十七条" in message
    second = services.request_extension(
        verifying_case, user=investigator, days=10, reason="另需现场勘验。"
    )
    services.decide_extension(second, user=head, approve=True)
    assert services.approved_extension_days(reload(verifying_case)) == 30
    expected = periods.investigation_deadline(FILED_ON, extension_days=30).end
    assert reload(verifying_case).decision_due == expected
    row = by_label(verifying_case, clock())["调查终结期限"]
    assert row["end"] == expected and "延长30日" in row["note"]


def test_art17_extension_count_is_an_office_rule_not_an_article(
    verifying_case, clock, investigator, head, refused
):
    clock.set(D(2025, 9, 25))
    services.request_extension(
        verifying_case, user=investigator, days=5, reason="需补充调取外地证据。"
    )
    message = refused(
        services.request_extension,
        verifying_case,
        user=investigator,
        days=5,
        reason="另需现场勘验。",
    )
    assert "依本机构工作规则" in message
    assert "第十七条" not in message


# --- Art. 16: appraisal -------------------------------------------------------------


def test_art16_appraisal_after_expiry_does_not_move_deadline(
    verifying_case, clock, investigator
):
    clock.set(D(2025, 10, 20))
    activity = appraisal(verifying_case, investigator, D(2025, 10, 12), D(2025, 10, 18))
    assert activity.pk  # recorded all the same
    case = reload(verifying_case)
    assert services.paused_days(case) == 0
    assert case.decision_due == EXPIRY
    assert SupervisionCase.objects.overdue(clock()).get() == case


def test_art16_overlapping_appraisals_pause_a_running_period_once(
    verifying_case, clock, investigator
):
    clock.set(D(2025, 9, 26))
    appraisal(verifying_case, investigator, D(2025, 9, 10), D(2025, 9, 20))
    appraisal(verifying_case, investigator, D(2025, 9, 15), D(2025, 9, 25))
    case = reload(verifying_case)
    assert services.paused_days(case) == 15
    assert case.decision_due == periods.period_end(FILED_ON, 30, paused_days=15)
    row = by_label(case, clock())["调查终结期限"]
    assert "不计入15日" in row["note"] and "第十六条" in row["note"]


# --- Art. 19: review ------------------------------------------------------------------


def test_art19_review_window_and_review_decision_are_on_the_case_page(
    notified_case, clock, investigator
):
    window_end = periods.review_request_deadline(SERVED_ON).end
    rows = by_label(notified_case, SERVED_ON)
    window = rows["复核申请期限（历城区市场监督管理局）"]
    assert window["window"] and window["end"] == window_end
    assert window["source"] == "第十九条"
    # A window expires; it is a right, never the office's overdue.
    late = window_end + datetime.timedelta(days=1)
    window = by_label(notified_case, late)["复核申请期限（历城区市场监督管理局）"]
    assert window["expired"] and not window["overdue"]
    clock.set(D(2025, 10, 10))
    review = services.request_review(
        notified_case,
        user=investigator,
        applicant="历城区市场监督管理局",
        decision_received_on=SERVED_ON,
        requested_on=D(2025, 10, 10),
        grounds="认为认定事实不清。",
    )
    rows = by_label(notified_case, D(2025, 10, 10))
    assert rows["复核申请期限（历城区市场监督管理局）"]["done_on"] == D(2025, 10, 10)
    assert rows["复核决定期限"]["end"] == review.decision_due


def test_a_reopened_case_gets_a_new_decision_period_not_an_old_overdue(
    notified_case, clock, reviewer, investigator
):
    clock.set(D(2025, 10, 9))
    review = services.request_review(
        notified_case,
        user=investigator,
        applicant="李四",
        decision_received_on=notified_case.notified_on,
        requested_on=D(2025, 10, 9),
        grounds="不服。",
    )
    clock.set(D(2025, 10, 20))
    services.decide_review(
        review, user=reviewer, result=Review.Result.REVOKED, reasons="事实不清。"
    )
    case = SupervisionCase.objects.get(pk=notified_case.pk)
    assert case.decision_round == 2
    assert case.reopened_on == D(2025, 10, 20)
    assert case.decision_due == periods.period_end(D(2025, 10, 20), 30)
    assert not SupervisionCase.objects.overdue(D(2025, 10, 21)).filter(pk=case.pk)
    assert services.deadlines(case, D(2025, 10, 21))[0]["label"] == "重新认定期限"


# --- Art. 20: correction ------------------------------------------------------------


@pytest.fixture
def served_case(notified_case, investigator):
    for name in ("张三", "李四"):
        services.record_notification(
            notified_case,
            user=investigator,
            recipient=name,
            is_party=True,
            method=Notification.Method.IN_PERSON,
            served_on=SERVED_ON,
        )
    return reload(notified_case)


def test_art20_correction_completed_in_time_is_met_everywhere(
    served_case, clock, investigator, liaison
):
    """Met when the agency reports completion in time; verification by the
    office follows and does not make it late on the case page."""
    correction = services.order_correction(
        served_case,
        user=investigator,
        reasons="处罚程序违法。",
        items="重新履行告知程序。",
        requirements="限期完成整改并报告。",
        deadline=D(2025, 10, 20),
    )
    clock.set(D(2025, 10, 17))
    services.report_correction_progress(
        correction,
        user=liaison,
        reported_on=D(2025, 10, 17),
        content="已重新履行告知程序。",
        completed=True,
    )
    later = D(2025, 10, 25)
    row = by_label(served_case, later)["整改期限"]
    assert row["done_on"] == D(2025, 10, 17) and not row["overdue"]
    assert deadlines.running_periods(reload(served_case), today=later) == []
    assert not SupervisionCase.objects.overdue(later).exists()


def test_art20_correction_not_completed_is_overdue_everywhere(
    served_case, clock, investigator
):
    services.order_correction(
        served_case,
        user=investigator,
        reasons="处罚程序违法。",
        items="重新履行告知程序。",
        requirements="限期完成整改并报告。",
        deadline=D(2025, 10, 20),
    )
    later = D(2025, 10, 21)
    clock.set(later)
    assert by_label(served_case, later)["整改期限"]["overdue"]
    deadlines.check_deadlines(later, mail=False)
    assert DeadlineWarning.objects.get(level="red").label == "整改期限"
    assert SupervisionCase.objects.overdue(later).get() == served_case


# --- Office counting rule (calendar days) ------------------------------------------


def test_calendar_day_counting_is_labelled_an_office_rule(client, served_case, head):
    client.force_login(head)
    html = client.get(reverse("casework_case:detail", args=[served_case.pk])).text
    assert "依本机构工作规则：期间按自然日计算" in html
    assert periods.__doc__.startswith("Periods of the measure")
    assert "本机构工作规则" in periods.__doc__


# --- One engine: every screen agrees on the demo cases -----------------------------


def test_demo_deadlines_agree_on_case_page_overdue_list_warnings_and_report(client):
    load_casework_demo(home=None, stdout=io.StringIO())
    today = timezone.localdate()
    deadlines.check_deadlines(today, mail=False)
    client.force_login(get_user_model().objects.get(username="head"))
    listed = set(SupervisionCase.objects.overdue(today))
    request = client.get(reverse("wagtailadmin_home")).wsgi_request
    filtered = set(
        CaseFilterSet(
            data={"overdue": "true"},
            queryset=SupervisionCase.objects.all(),
            request=request,
        ).qs
    )
    overdue_cases = set()
    seen = {"overdue": 0, "transfer": 0, "appraisal": 0, "window": 0}
    for case in SupervisionCase.objects.order_by("pk"):
        rows = services.deadlines(reload(case), today)
        overdue = {r["key"] for r in rows if r["overdue"] and r["done_on"] is None}
        running = {r["key"] for r in rows if r["done_on"] is None and not r["window"]}
        seen["overdue"] += bool(overdue)
        seen["transfer"] += any(r["key"].startswith("transfer:") for r in rows)
        seen["appraisal"] += "第十六条" in rows[0]["note"]
        seen["window"] += any(r["window"] for r in rows)
        if case.stage != Stage.ARCHIVED and overdue:
            overdue_cases.add(case)
        # The warning job: a red warning for exactly the overdue periods.
        if case.stage != Stage.ARCHIVED:
            job = {p.key for p in deadlines.running_periods(reload(case), today=today)}
            assert job == running, case.number
            red = set(
                DeadlineWarning.objects.filter(case=case, level="red").values_list(
                    "period", flat=True
                )
            )
            assert red == overdue, case.number
        # The case page shows each period, its last day and its state.
        html = client.get(reverse("casework_case:detail", args=[case.pk])).text
        for row in rows:
            assert row["label"] in html, (case.number, row["label"])
            end = row["end"]
            assert f"{end.year}年{end.month}月{end.day}日" in html
        assert html.count("casework-row-overdue") == sum(r["overdue"] for r in rows)
    assert listed == filtered == overdue_cases
    assert all(seen.values()), seen
    figures = collect_figures(today.replace(day=1), today)
    assert figure(figures, "期末逾期未办结案件") == len(overdue_cases)
    decided = SupervisionCase.objects.filter(
        decided_on__gte=today.replace(day=1), decided_on__lte=today
    )
    on_time = sum(
        services.deadlines(reload(case), today)[0]["overdue"] is False
        for case in decided
    )
    assert figure(figures, "按期作出决定案件") == on_time


def test_decided_case_is_not_overdue_for_its_decision(served_case):
    row = by_label(served_case, D(2025, 12, 1))["调查终结期限"]
    assert row["done_on"] == DECIDED_ON and not row["overdue"]


# --- Holidays beyond the calendar package ------------------------------------------


def test_office_holiday_days_move_a_deadline(case, investigator, clock):
    due = SupervisionCase.objects.get(pk=case.pk).decision_due
    assert due == periods.investigation_deadline(FILED_ON).end
    # The office declares the due day a holiday: the period ends on the
    # next working day (Civil Code Art. 203).
    CalendarDay.objects.create(date=due, kind=CalendarDay.Kind.HOLIDAY, note="测试")
    services.refresh_deadlines(case)
    moved = SupervisionCase.objects.get(pk=case.pk).decision_due
    assert moved > due
    assert holiday_calendar().is_workday(moved)
    assert not holiday_calendar().is_workday(due)


def test_2027_deadlines_are_marked_provisional_until_the_office_enters_them(
    make_case, clock
):
    clock.set(D(2027, 1, 20))
    case = make_case(filed_on=D(2027, 1, 20))
    rows = services.deadlines(case, D(2027, 1, 20))
    assert rows[0]["provisional"] is True
    # One entered day does not confirm the year; the office's mark does.
    CalendarDay.objects.create(date=D(2027, 2, 22), kind=CalendarDay.Kind.HOLIDAY)
    rows = services.deadlines(case, D(2027, 1, 20))
    assert rows[0]["provisional"] is True
    CalendarYear.objects.create(year=2027, confirmed=True)
    rows = services.deadlines(case, D(2027, 1, 20))
    assert rows[0]["provisional"] is False


def test_holiday_act_unconfirmed_year_is_said_on_the_case_page(
    client, make_case, clock, head
):
    """2027 is beyond chinese_calendar: its statutory holidays count (元旦 is
    not a working day), but until the office confirms the year the case page
    says the end may still move; one entered day does not confirm it."""
    clock.set(D(2026, 12, 2))
    case = make_case(filed_on=D(2026, 12, 2))
    # 12-02 + 30 = 2027-01-01 (元旦, a Friday): the period ends on Monday 01-04.
    assert reload(case).decision_due == D(2027, 1, 4)
    client.force_login(head)
    url = reverse("casework_case:detail", args=[case.pk])
    assert str(services.UNCONFIRMED_NOTE) in client.get(url).text
    CalendarDay.objects.create(date=D(2027, 2, 20), kind=CalendarDay.Kind.WORKDAY)
    assert str(services.UNCONFIRMED_NOTE) in client.get(url).text
    CalendarYear.objects.create(year=2027, confirmed=True, note="国办发明电〔2026〕")
    assert str(services.UNCONFIRMED_NOTE) not in client.get(url).text


def test_migration_0006_gives_existing_cases_a_first_next_due(make_case, clock):
    """Before the first nightly check after migrating, the overdue list still
    lists a case whose stored decision deadline has passed."""
    from django.apps import apps

    fill_next_due = importlib.import_module(
        "casework.migrations.0006_deadline_engine"
    ).fill_next_due
    case = make_case(filed_on=FILED_ON)
    SupervisionCase.objects.update(next_due=None)
    assert not SupervisionCase.objects.overdue(D(2025, 10, 10)).exists()
    fill_next_due(apps, None)
    assert reload(case).next_due == EXPIRY
    assert SupervisionCase.objects.overdue(D(2025, 10, 10)).get() == case
