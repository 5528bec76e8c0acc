"""One supervision case walked through the service layer, 立案 to 归档 (Art. 13-20)."""

import datetime

import pytest
from django.core.files.base import ContentFile

from casework import services
from casework.models import (
    Activity,
    CaseDocument,
    CaseOfficer,
    Correction,
    Determination,
    ErrorType,
    Notification,
    StageChange,
)
from casework.rules import periods
from casework.rules.articles import Outcome
from casework.rules.stages import Stage
from tests.testkit.factories import FILED_ON, reload

pytestmark = pytest.mark.django_db

D = datetime.date


def test_a_case_walks_from_filing_to_archive(
    clock,
    refused,
    agency,
    field,
    head,
    investigator,
    investigator2,
    liaison,
    officer_a,
    officer_b,
):
    # --- 立案 (Art. 13-14): numbered per year, the 30-day clock starts.
    case = services.file_case(
        user=investigator,
        title="某餐饮公司食品安全行政处罚案执法监督",
        agency=agency,
        field=field,
        matter_type="penalty",
        source="report",
        summary="举报反映处罚决定认定事实不清、程序不当。",
        officers=[(officer_a, ErrorType.EVIDENCE)],
        filed_on=FILED_ON,
    )
    assert case.number == "历城执监〔2025〕第1号"
    assert (case.year, case.sequence) == (2025, 1)
    assert case.stage == Stage.FILED
    assert case.created_by == investigator
    unpaused_due = periods.investigation_deadline(FILED_ON).end
    # 2025-10-01 falls in the National Day holiday: the period rolls over.
    assert unpaused_due == D(2025, 10, 9)
    assert reload(case).decision_due == unpaused_due
    assert reload(case).notification_due is None

    clock.set(D(2025, 9, 2))
    second = services.file_case(
        user=investigator,
        title="另一案件",
        agency=agency,
        field=field,
        matter_type="inspection",
        source="inspection",
        summary="监督检查发现的问题。",
        filed_on=D(2025, 9, 2),
    )
    assert second.number == "历城执监〔2025〕第2号"

    # Two officers concerned; two officer-role investigators.
    link_b = services.add_officer(
        case, officer_b, error_type=ErrorType.PROCEDURE, user=investigator
    )
    link_a = CaseOfficer.objects.get(case=case, officer=officer_a)
    assert set(case.case_officers.values_list("officer__name", flat=True)) == {
        "张三",
        "李四",
    }
    lead = services.assign_investigator(case, investigator, user=head, is_lead=True)
    services.assign_investigator(case, investigator2, user=head)
    assert lead.is_lead and lead.active
    assert case.assignments.filter(active=True).count() == 2

    # --- 核实 (Art. 16): the four kinds of investigation.
    case = services.transition(case, Stage.VERIFYING, user=investigator)
    assert case.stage == Stage.VERIFYING
    services.record_activity(
        case,
        user=investigator,
        kind=Activity.Kind.WRITTEN_REVIEW,
        occurred_on=D(2025, 9, 2),
        summary="调阅处罚案卷，审查证据材料。",
    )
    clock.set(D(2025, 9, 3))
    services.record_activity(
        case,
        user=investigator2,
        kind=Activity.Kind.INQUIRY,
        occurred_on=D(2025, 9, 3),
        summary="询问当事人及执法人员，制作询问笔录。",
    )
    clock.set(D(2025, 9, 4))
    services.record_activity(
        case,
        user=investigator,
        kind=Activity.Kind.ON_SITE,
        occurred_on=D(2025, 9, 4),
        summary="赴现场勘验经营场所。",
    )
    # A commissioned appraisal pauses the clock while it runs (Art. 16)...
    clock.set(D(2025, 9, 10))
    appraisal = services.record_activity(
        case,
        user=investigator,
        kind=Activity.Kind.APPRAISAL,
        occurred_on=D(2025, 9, 5),
        summary="委托检测机构对涉案食品抽样检测。",
        appraisal_body="山东省食品药品检验研究院",
        appraisal_started_on=D(2025, 9, 5),
    )
    running_due = periods.investigation_deadline(FILED_ON, paused_days=5).end
    assert reload(case).decision_due == running_due
    # ...and when the report comes back the paused days are fixed: ten.
    clock.set(D(2025, 9, 15))
    services.finish_appraisal(appraisal, user=investigator, ended_on=D(2025, 9, 15))
    paused_due = periods.investigation_deadline(FILED_ON, paused_days=10).end
    assert services.paused_days(case) == 10
    assert reload(case).decision_due == paused_due
    assert paused_due > unpaused_due
    assert sorted(case.activities.values_list("kind", flat=True)) == sorted(
        Activity.Kind.values
    )

    # Statement and defense of each person concerned (Art. 16).
    clock.set(D(2025, 9, 16))
    for link, content in ((link_a, "张三陈述：证据系相对人隐瞒。"), (link_b, "")):
        services.record_statement(
            link,
            user=investigator,
            heard_on=D(2025, 9, 16),
            content=content,
            waived=not content,
        )
    assert case.case_officers.filter(statement__isnull=False).count() == 2

    # --- 认定 (Art. 9-12, 18).
    case = services.transition(case, Stage.DETERMINED, user=investigator)
    assert case.stage == Stage.DETERMINED
    # The services read the stage from the case object they are given: work on
    # links loaded from the case transition() returned.
    link_a, link_b = (case.case_officers.get(officer=o) for o in (officer_a, officer_b))
    clock.set(D(2025, 9, 22))
    exempt = services.determine(
        link_a,
        user=investigator,
        outcome=Outcome.EXEMPT,
        basis=["10(2)"],
        facts="政策界限不明确，执法人员已尽审慎义务。",
        distinction_reform="改革探索中的失误，并非明知故犯。",
        distinction_exploration="无明确限制的探索，并非明令禁止。",
        distinction_intent="无意过失，未谋取私利。",
        decided_on=D(2025, 9, 22),
    )
    no_tolerance = services.determine(
        link_b,
        user=investigator2,
        outcome=Outcome.NO_TOLERANCE,
        basis=["12(1)"],
        facts="因主观原因明显违反法定程序。",
        distinction_reform="明知故犯。",
        distinction_exploration="违反明令禁止的程序规定。",
        distinction_intent="不属于无意过失。",
        decided_on=D(2025, 9, 22),
        liability_referred_to="历城区行政执法过错责任追究工作组",
    )
    assert exempt.outcome == Outcome.EXEMPT
    assert exempt.basis == ["10(2)"]
    assert exempt.counts_as_error is False  # Art. 18: not an enforcement error
    assert exempt.liability_referred_to == ""
    assert exempt.liability_referred_on is None
    assert exempt.prior_exemptions == []
    assert no_tolerance.counts_as_error is True
    assert no_tolerance.liability_referred_to == "历城区行政执法过错责任追究工作组"
    assert no_tolerance.liability_referred_on == D(2025, 9, 22)

    # The decision notice is generated elsewhere; archiving needs it on file.
    CaseDocument.objects.create(
        case=case,
        kind=CaseDocument.Kind.DECISION_NOTICE,
        year=2025,
        sequence=1,
        number="历城执监决〔2025〕1号",
        file=ContentFile("行政执法监督决定书".encode(), name="decision.txt"),
        created_by=investigator,
    )

    # --- 反馈 (Art. 17): decided today, the 7 days to notify start.
    decided = clock.set(D(2025, 9, 25))
    case = services.transition(case, Stage.NOTIFIED, user=head)
    assert case.decided_on == decided
    notification_due = periods.notification_deadline(decided).end
    assert notification_due == D(2025, 10, 9)  # 10-02 is in the holiday
    assert reload(case).notification_due == notification_due
    clock.set(D(2025, 9, 26))
    for recipient, is_party in ((agency.name, False), ("某餐饮公司", True)):
        services.record_notification(
            case,
            user=investigator,
            recipient=recipient,
            is_party=is_party,
            method=Notification.Method.IN_PERSON,
            served_on=D(2025, 9, 26),
        )
    case = reload(case)
    assert case.notified_on == D(2025, 9, 26)
    assert case.notifications.count() == 2

    # --- 纠错 (Art. 20).
    correction = services.order_correction(
        case,
        user=investigator,
        reasons="执法程序不规范。",
        items="补正告知程序，重新审查处罚决定。",
        requirements="建立执法全过程记录台账。",
        deadline=D(2025, 10, 31),
    )
    case = reload(case)
    assert case.correction_required is True
    case = services.transition(case, Stage.CORRECTING, user=investigator)
    assert case.stage == Stage.CORRECTING

    clock.set(D(2025, 10, 9))
    progress = services.report_correction_progress(
        correction,
        user=liaison,
        reported_on=D(2025, 10, 9),
        content="已补正告知程序，台账已建立。",
        completed=True,
    )
    assert progress.created_by == liaison
    correction.refresh_from_db()
    assert correction.status == Correction.Status.REPORTED
    clock.set(D(2025, 10, 10))
    services.verify_correction(
        correction, user=investigator, verified_on=D(2025, 10, 10)
    )
    correction.refresh_from_db()
    assert correction.status == Correction.Status.VERIFIED
    assert correction.verified_by == investigator

    # --- 归档: not while a review may still be requested (Art. 19)...
    review_window = periods.review_request_deadline(D(2025, 9, 26)).end
    clock.set(review_window)
    message = refused(services.transition, case, Stage.ARCHIVED, user=investigator)
    assert "复核申请期限尚未届满" in message
    assert reload(case).stage == Stage.CORRECTING
    # ...then it is final.
    clock.set(review_window + datetime.timedelta(days=1))
    # ...and not before the act under review is found lawful or not (office
    # rule act_finding_before_archive).
    assert "尚未认定被监督的行政执法行为是否违法或不当" in refused(
        services.transition, case, Stage.ARCHIVED, user=investigator
    )
    services.record_act_finding(
        case, user=investigator, finding="lawful", reasons="执法行为合法适当。"
    )
    case = services.transition(case, Stage.ARCHIVED, user=investigator)
    assert case.stage == Stage.ARCHIVED
    assert case.archived_at is not None
    assert reload(case).is_archived

    # Every recorded move between stages, in order (Art. 14).
    assert list(case.stage_changes.values_list("from_stage", "to_stage")) == [
        (Stage.FILED, Stage.VERIFYING),
        (Stage.VERIFYING, Stage.DETERMINED),
        (Stage.DETERMINED, Stage.NOTIFIED),
        (Stage.NOTIFIED, Stage.CORRECTING),
        (Stage.CORRECTING, Stage.ARCHIVED),
    ]
    # The investigator moves the case; the head signs the decision (反馈).
    assert list(case.stage_changes.values_list("created_by", flat=True)) == [
        investigator.pk,
        investigator.pk,
        head.pk,
        investigator.pk,
        investigator.pk,
    ]

    # The case file is read only now.
    activities = Activity.objects.count()
    message = refused(
        services.record_activity,
        case,
        user=investigator,
        kind=Activity.Kind.INQUIRY,
        occurred_on=D(2025, 11, 1),
        summary="补充询问。",
    )
    assert "已归档" in message
    assert Activity.objects.count() == activities
    assert "已归档" in refused(
        services.transition, case, Stage.CORRECTING, user=investigator
    )
    assert "已归档" in refused(
        services.add_officer,
        case,
        officer_a,
        error_type=ErrorType.OTHER,
        user=investigator,
    )
    assert "已归档" in refused(
        services.order_correction,
        case,
        user=investigator,
        reasons="再次纠错。",
        items="事项。",
        requirements="要求。",
        deadline=D(2025, 12, 31),
    )

    # Full history (django-simple-history): creates and updates are recorded.
    history = case.history.all()
    assert history.count() > 1
    assert history.filter(history_type="+").count() == 1
    assert set(history.values_list("stage", flat=True)) >= {
        Stage.FILED,
        Stage.VERIFYING,
        Stage.ARCHIVED,
    }
    assert appraisal.history.filter(history_type="~").exists()
    assert exempt.history.filter(history_type="+").exists()
    assert set(correction.history.values_list("status", flat=True)) == set(
        Correction.Status.values
    )
    assert link_b.history.exists()
    assert StageChange.objects.filter(case=case).count() == 5
    assert Determination.objects.filter(case_officer__case=case).count() == 2
