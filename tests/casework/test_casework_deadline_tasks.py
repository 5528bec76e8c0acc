"""The daily deadline check (Art. 15, 17, 19, 20), run as a django-q2 task
synchronously (Q_CLUSTER["sync"] in the test settings), against the real
holiday calendar."""

import datetime
import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.urls import reverse
from django_q.models import Task
from django_q.tasks import async_task

from casework import deadlines, services
from casework.models import (
    Activity,
    DeadlineWarning,
    Notification,
    OversightSettings,
    SupervisionCase,
    WarningNotice,
)
from casework.rules.stages import Stage
from casework.timeline import build_timeline
from tests.testkit.factories import SERVED_ON, reload

FILED = datetime.date(2026, 9, 1)
"""30 days later is 2026-10-01, inside the National Day holiday (10-01 to
10-07, 2026): the decision period ends on Thursday 2026-10-08."""
RECEIVED = datetime.date(2026, 9, 3)
"""The transfer's 30 days end on 2026-10-03 (a holiday Saturday): 10-08."""


def run_check(day: datetime.date):
    """Queue the task as the schedule does; in sync mode it runs at once."""
    task_id = async_task("casework.tasks.check_deadlines", day.isoformat())
    return Task.objects.get(id=task_id)


def days(first: datetime.date, last: datetime.date):
    while first <= last:
        yield first
        first += datetime.timedelta(days=1)


class FlakyBackend(EmailBackend):
    """The locmem backend whose server refuses every mail after ``allowed``."""

    allowed = 0

    def send_messages(self, messages):
        sent = 0
        for message in messages:
            if FlakyBackend.allowed <= 0:
                raise smtplib.SMTPServerDisconnected("connection lost")
            FlakyBackend.allowed -= 1
            sent += super().send_messages([message])
        return sent


@pytest.fixture
def holiday_case(make_case, clock, head, investigator, investigator2, liaison):
    """Filed 2026-09-01 with two investigators; the office investigates."""
    clock.set(RECEIVED)
    case = make_case(filed_on=FILED)
    services.assign_investigator(case, investigator, user=head, is_lead=True)
    services.assign_investigator(case, investigator2, user=head)
    return reload(case)


@pytest.fixture
def transferred_case(make_case, clock, head, investigator, investigator2, liaison):
    """Filed 2026-09-01 with the same investigators, transferred to the agency
    on 2026-09-03 (Art. 15)."""
    clock.set(RECEIVED)
    case = make_case(filed_on=FILED)
    services.assign_investigator(case, investigator, user=head, is_lead=True)
    services.assign_investigator(case, investigator2, user=head)
    services.transfer_to_agency(
        case, user=investigator, reason="由执法机关自行调查。", received_on=RECEIVED
    )
    return reload(case)


def test_deadlines_roll_over_the_national_day_holiday(holiday_case, transferred_case):
    assert holiday_case.decision_due == datetime.date(2026, 10, 8)
    handling_due = transferred_case.transfers.get().handling_due
    assert handling_due == datetime.date(2026, 10, 8)


def test_art15_transfer_in_time_never_overdue_reading(
    transferred_case, clock, investigator, liaison
):
    """本机构理解 (Art. 15, 17): while the agency has the matter, the office's
    30 days are paused; an agency that handles and files in time never makes
    the office overdue, on any screen, warning or report."""
    clock.set(datetime.date(2026, 10, 6))
    transfer = transferred_case.transfers.get()
    services.record_transfer_result(
        transfer,
        user=liaison,
        handled_on=datetime.date(2026, 10, 1),
        result="执法机关已自行纠正并处理。",
        result_filed_on=datetime.date(2026, 10, 6),
    )
    case = reload(transferred_case)
    # Paused from 09-03 to 10-06 (33 days): 10-01 + 33 = 11-03, a Tuesday.
    assert case.decision_due == datetime.date(2026, 11, 3)
    for day in [datetime.date(2026, 10, d) for d in (5, 8, 9, 20)] + [
        datetime.date(2026, 11, 3)
    ]:
        run_check(day)
        assert not SupervisionCase.objects.overdue(day).exists(), day
        rows = services.deadlines(reload(case), day)
        assert not any(row["overdue"] for row in rows), day
    # Only the yellow reminder before the office's own (moved) last day.
    assert list(DeadlineWarning.objects.values_list("label", "level", "due")) == [
        ("调查终结期限", "yellow", datetime.date(2026, 11, 3))
    ]
    # The agency's own track: late handling is the agency's, not the office's.
    assert [row["label"] for row in services.deadlines(case)][:3] == [
        "调查终结期限",
        "移交处理期限",
        "处理结果备案期限",
    ]


def test_art15_agency_late_is_overdue_on_its_own_track(transferred_case, clock):
    """The agency's 30 + 7 days (Art. 15) can be overdue; the office's clock
    stays paused."""
    day = datetime.date(2026, 10, 9)
    clock.set(day)
    run_check(day)
    assert set(DeadlineWarning.objects.values_list("label", "level")) == {
        ("移交处理期限", "red")
    }
    rows = {row["label"]: row for row in services.deadlines(reload(transferred_case))}
    assert rows["移交处理期限"]["overdue"]
    assert not rows["调查终结期限"]["overdue"]
    assert "本机构理解" in rows["调查终结期限"]["note"]
    assert SupervisionCase.objects.overdue(day).get() == transferred_case


def test_warnings_fire_once_on_the_right_day_across_the_holiday(
    holiday_case, transferred_case, head, investigator, investigator2, liaison
):
    assert OversightSettings.load().warning_days == 3
    issued = {}
    for day in days(datetime.date(2026, 9, 20), datetime.date(2026, 10, 15)):
        before = set(DeadlineWarning.objects.values_list("pk", flat=True))
        task = run_check(day)
        assert task.success, task.result
        new = DeadlineWarning.objects.exclude(pk__in=before)
        for warning in new:
            issued.setdefault((warning.label, warning.level), []).append(day)
    yellow, red = DeadlineWarning.Level.YELLOW, DeadlineWarning.Level.RED
    # Three days before the rolled-over end (10-08), not before the nominal
    # end in the holiday (09-30 would be three days before 10-03); red the
    # day after the last day; each exactly once in 26 daily runs.
    assert issued == {
        ("调查终结期限", yellow): [datetime.date(2026, 10, 5)],
        ("调查终结期限", red): [datetime.date(2026, 10, 9)],
        ("移交处理期限", yellow): [datetime.date(2026, 10, 5)],
        ("移交处理期限", red): [datetime.date(2026, 10, 9)],
    }
    # The decision warnings reach the investigators and the head; the
    # transfer's, which the agency must meet, its liaison too.
    decision = DeadlineWarning.objects.get(label="调查终结期限", level=red)
    assert set(decision.notices.values_list("recipient__username", flat=True)) == {
        head.username,
        investigator.username,
        investigator2.username,
    }
    transfer = DeadlineWarning.objects.get(label="移交处理期限", level=red)
    assert liaison.username in set(
        transfer.notices.values_list("recipient__username", flat=True)
    )
    # One mail per notice, however often the check ran.
    assert len(mail.outbox) == WarningNotice.objects.count() == 3 + 4 + 3 + 4
    subjects = [m.subject for m in mail.outbox if investigator.email in m.to]
    assert sorted(subjects) == sorted(
        f"【期限{level}】{case.number} {label}"
        for level in ("黄色预警", "红色预警")
        for case, label in (
            (holiday_case, "调查终结期限"),
            (transferred_case, "移交处理期限"),
        )
    )
    assert "2026年10月8日" in mail.outbox[0].body


def test_failed_mail_is_retried_without_duplicating(
    holiday_case, transferred_case, settings, head, investigator, investigator2
):
    settings.EMAIL_BACKEND = "test_casework_deadline_tasks.FlakyBackend"
    FlakyBackend.allowed = 1
    day = datetime.date(2026, 10, 9)  # both periods expired: two red warnings
    # The task fails part way (the mail server drops after one mail). In the
    # cluster django-q2 leaves a failed task unacknowledged, so the broker
    # hands it out again after Q_CLUSTER["retry"] seconds; in sync mode the
    # error reaches the caller, who runs it again below.
    with pytest.raises(smtplib.SMTPServerDisconnected, match="connection lost"):
        run_check(day)
    assert DeadlineWarning.objects.count() == 2
    assert WarningNotice.objects.count() == 3 + 4
    assert len(mail.outbox) == 1
    assert WarningNotice.objects.filter(emailed_at__isnull=False).count() == 1

    FlakyBackend.allowed = 100
    retried = run_check(day)
    assert retried.success, retried.result
    assert retried.result["warnings"] == 0
    assert DeadlineWarning.objects.count() == 2
    assert WarningNotice.objects.count() == 7
    # Every notice mailed exactly once over the two attempts.
    assert len(mail.outbox) == 7
    assert len({(m.to[0], m.subject) for m in mail.outbox}) == 7
    assert not WarningNotice.objects.filter(emailed_at__isnull=True).exists()

    again = run_check(day)
    assert again.result == {**again.result, "warnings": 0, "mails": 0}
    assert len(mail.outbox) == 7


def test_the_warning_is_on_the_timeline_and_in_overdue(
    holiday_case, transferred_case, liaison
):
    run_check(datetime.date(2026, 10, 9))
    events = [e for e in build_timeline(holiday_case) if e.action == "预警"]
    assert {e.summary for e in events} == {
        "调查终结期限已于2026年10月8日届满，尚未办结（第十七条）。",
    }
    events = [e for e in build_timeline(transferred_case) if e.action == "预警"]
    assert {e.summary for e in events} == {
        "移交处理期限已于2026年10月8日届满，尚未办结（第十五条）。",
    }
    agency_events = [
        e
        for e in build_timeline(transferred_case, agency_view=True)
        if e.action == "预警"
    ]
    assert [e.summary for e in agency_events] == [
        "移交处理期限已于2026年10月8日届满，尚未办结（第十五条）。"
    ]
    assert set(SupervisionCase.objects.overdue(datetime.date(2026, 10, 9))) == {
        holiday_case,
        transferred_case,
    }
    assert not SupervisionCase.objects.overdue(datetime.date(2026, 10, 8)).exists()


def test_running_appraisal_moves_the_stored_deadline(holiday_case, clock, investigator):
    clock.set(datetime.date(2026, 9, 10))
    services.record_activity(
        holiday_case,
        user=investigator,
        kind=Activity.Kind.APPRAISAL,
        occurred_on=datetime.date(2026, 9, 10),
        summary="委托检测机构对涉案食品进行检测。",
        appraisal_body="济南市食品药品检验检测中心",
        appraisal_started_on=datetime.date(2026, 9, 10),
    )
    stored = reload(holiday_case).decision_due
    # Twenty days on, the appraisal has paused the clock for twenty days: the
    # stored deadline is stale until the daily check refreshes it.
    clock.set(datetime.date(2026, 9, 30))
    live = services.decision_deadline(reload(holiday_case)).end
    assert live > stored
    task = run_check(datetime.date(2026, 9, 30))
    assert task.result["refreshed"] == 1
    assert reload(holiday_case).decision_due == live
    assert run_check(datetime.date(2026, 9, 30)).result["refreshed"] == 0
    # No warning for the decision: its end moved away with the appraisal.
    assert not DeadlineWarning.objects.filter(label="调查终结期限").exists()


def serve_parties(case, user):
    """Serve the decision on the two persons determined (Art. 17)."""
    for name in ("张三", "李四"):
        services.record_notification(
            case,
            user=user,
            recipient=name,
            is_party=True,
            method=Notification.Method.IN_PERSON,
            served_on=SERVED_ON,
        )
    return reload(case)


def test_art17_notification_missing_party_overdue_after_day7(
    notified_case, clock, investigator
):
    """决定作出后，应当于7日内告知相关单位及当事人: the agency was told, the two
    persons determined were not; each is listed, and each is overdue after
    day 7 on the case page, in the warnings and in the overdue list."""
    rows = {r["label"]: r for r in services.deadlines(notified_case, SERVED_ON)}
    # 7 days from 2025-09-25 is 10-02, in the National Day holiday: 10-09.
    due = datetime.date(2025, 10, 9)
    assert rows["告知期限（历城区市场监督管理局）"]["done_on"] == SERVED_ON
    for name in ("张三", "李四"):
        assert rows[f"告知期限（{name}）"]["done_on"] is None
        assert rows[f"告知期限（{name}）"]["end"] == due
    assert not SupervisionCase.objects.overdue(due).exists()
    late = due + datetime.timedelta(days=1)
    clock.set(late)
    rows = {r["label"]: r for r in services.deadlines(reload(notified_case), late)}
    assert rows["告知期限（张三）"]["overdue"] and rows["告知期限（李四）"]["overdue"]
    assert not rows["告知期限（历城区市场监督管理局）"]["overdue"]
    run_check(late)
    assert set(DeadlineWarning.objects.values_list("label", "level")) == {
        ("告知期限（张三）", "red"),
        ("告知期限（李四）", "red"),
    }
    assert SupervisionCase.objects.overdue(late).get() == notified_case
    # Serving one leaves the other overdue; serving both clears the case.
    services.record_notification(
        notified_case,
        user=investigator,
        recipient="张三",
        is_party=True,
        method=Notification.Method.POST,
        served_on=late,
    )
    rows = {r["label"]: r for r in services.deadlines(reload(notified_case), late)}
    assert rows["告知期限（张三）"]["done_on"] == late
    assert SupervisionCase.objects.overdue(late).get() == notified_case
    services.record_notification(
        notified_case,
        user=investigator,
        recipient="李四",
        is_party=True,
        method=Notification.Method.POST,
        served_on=late,
    )
    assert not SupervisionCase.objects.overdue(late).exists()


def test_art17_notification_reporters_are_not_parties(notified_case, investigator):
    """A reporter is told under Art. 22, not here: serving one meets nothing."""
    services.record_notification(
        notified_case,
        user=investigator,
        recipient="王某（举报人）",
        is_party=True,
        method=Notification.Method.POST,
        served_on=SERVED_ON,
    )
    labels = {p.label for p in deadlines.running_periods(notified_case)}
    assert labels == {"告知期限（张三）", "告知期限（李四）"}


def test_every_statutory_period_is_checked(notified_case, clock, investigator):
    """Review (Art. 19) and correction (Art. 20) periods warn too."""
    notified_case = serve_parties(notified_case, investigator)
    clock.set(datetime.date(2025, 10, 10))
    review = services.request_review(
        notified_case,
        user=investigator,
        applicant="李四",
        decision_received_on=datetime.date(2025, 9, 26),
        requested_on=datetime.date(2025, 10, 10),
        grounds="认为认定事实不清。",
    )
    correction = services.order_correction(
        notified_case,
        user=investigator,
        reasons="处罚程序违法。",
        items="重新履行告知程序。",
        requirements="十五日内完成整改并报告。",
        deadline=datetime.date(2025, 10, 31),
    )
    labels = {p.label: p for p in deadlines.running_periods(notified_case)}
    assert set(labels) == {"复核决定期限", "整改期限"}
    assert labels["复核决定期限"].end == review.decision_due
    run_check(review.decision_due + datetime.timedelta(days=1))
    assert set(DeadlineWarning.objects.values_list("label", "level")) == {
        ("复核决定期限", "red"),
        ("整改期限", "red"),
    }
    assert SupervisionCase.objects.overdue(correction.deadline).count() == 0
    assert (
        SupervisionCase.objects.overdue(
            review.decision_due + datetime.timedelta(days=1)
        ).get()
        == notified_case
    )


def test_archived_and_met_periods_do_not_warn(notified_case, investigator):
    # Decided and served in time: nothing running, nothing to warn about.
    notified_case = serve_parties(notified_case, investigator)
    assert deadlines.running_periods(notified_case) == []
    assert run_check(datetime.date(2026, 1, 1)).result["warnings"] == 0


def test_the_warning_days_are_the_offices(holiday_case):
    config = OversightSettings.load()
    config.warning_days = 7
    config.save()
    run_check(datetime.date(2026, 10, 1))
    assert set(DeadlineWarning.objects.values_list("level", flat=True)) == {"yellow"}


def test_recused_person_is_not_warned(holiday_case, head, investigator2):
    from casework.models import Recusal

    recusal = services.request_recusal(
        holiday_case,
        investigator2,
        user=investigator2,
        kind=Recusal.Kind.DECLARED,
        reason="与当事人有亲属关系。",
    )
    services.decide_recusal(recusal, user=head, approve=True)
    run_check(datetime.date(2026, 10, 9))
    assert not WarningNotice.objects.filter(recipient=investigator2).exists()
    assert holiday_case.stage == Stage.FILED


def test_an_extension_is_a_new_period(holiday_case, head, investigator):
    """Yellow before the extension, then yellow again before its new end."""
    run_check(datetime.date(2026, 10, 5))
    extension = services.request_extension(
        holiday_case, user=investigator, days=15, reason="需补充调取外地证据。"
    )
    services.decide_extension(extension, user=head, approve=True)
    case = reload(holiday_case)
    period = next(
        p for p in deadlines.running_periods(case) if p.key.startswith("decision")
    )
    assert period.key == "decision:r1:ext15"
    # 10-08 + 15 = 10-23, a Friday.
    assert period.end == case.decision_due == datetime.date(2026, 10, 23)
    run_check(datetime.date(2026, 10, 9))
    assert not DeadlineWarning.objects.filter(
        label="调查终结期限", level="red"
    ).exists()
    run_check(datetime.date(2026, 10, 20))
    assert list(
        DeadlineWarning.objects.filter(label="调查终结期限")
        .order_by("issued_on")
        .values_list("period", "level", "issued_on")
    ) == [
        ("decision:r1", "yellow", datetime.date(2026, 10, 5)),
        ("decision:r1:ext15", "yellow", datetime.date(2026, 10, 20)),
    ]


def test_a_run_cut_off_between_warnings_loses_nothing(
    holiday_case, transferred_case, monkeypatch
):
    """A worker dying after the first warning of a run: the retry issues the
    rest and leaves the first as it was."""
    real = deadlines.recipients
    calls = []

    def dies_on_the_second(case, period, heads, liaisons=None):
        calls.append(period.key)
        if len(calls) == 2:
            raise SystemExit("worker killed")
        return real(case, period, heads, liaisons)

    monkeypatch.setattr(deadlines, "recipients", dies_on_the_second)
    day = datetime.date(2026, 10, 9)
    with pytest.raises(SystemExit):
        deadlines.check_deadlines(day)
    # The second warning's transaction rolled back with its notices.
    (first,) = DeadlineWarning.objects.all()
    first_notices = set(first.notices.values_list("pk", flat=True))
    assert mail.outbox == []
    monkeypatch.setattr(deadlines, "recipients", real)
    run_check(day)
    assert DeadlineWarning.objects.count() == 2
    assert set(first.notices.values_list("pk", flat=True)) == first_notices
    assert len(mail.outbox) == WarningNotice.objects.count() == 7


def test_the_head_sets_the_warning_days(client, head, investigator):
    url = reverse("wagtailsettings:edit", args=["casework", "oversightsettings"])
    client.force_login(investigator)
    refused = client.get(url, follow=True)
    assert refused.redirect_chain[-1][0] == reverse("wagtailadmin_home")
    client.force_login(head)
    url = client.get(url).url  # the generic setting's own page
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"warning_days": "0", "risk_threshold": "1", "risk_window_days": "180"}
    )
    assert response.status_code == 200
    assert OversightSettings.load().warning_days == 3
    response = client.post(
        url, {"warning_days": "5", "risk_threshold": "4", "risk_window_days": "90"}
    )
    assert response.status_code == 302
    config = OversightSettings.load()
    assert (config.warning_days, config.risk_threshold, config.risk_window_days) == (
        5,
        4,
        90,
    )
