"""One supervision case walked through the service layer, 立案 to 归档 (Art. 13-20),
and the per-year case numbers (历城执监〔YYYY〕第N号)."""

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
    Recusal,
    StageChange,
    SupervisionCase,
)
from casework.models.case import CaseQuerySet
from casework.rules import periods
from casework.rules.articles import Outcome
from casework.rules.stages import Stage
from tests.testkit.factories import (
    FILED_ON,
    LiaisonFactory,
    OfficerFactory,
    SupervisionCaseFactory,
    SupervisionOfficerFactory,
    determine_no_tolerance,
    reload,
)

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


def test_a_stale_case_object_cannot_write_to_an_archived_case(
    notified_case, clock, refused, investigator
):
    """transition() returns a fresh object; a copy loaded earlier (a form, a
    related object's cached .case) must not slip past the read-only rule."""
    case = notified_case
    link = case.case_officers.select_related("case").first()
    CaseDocument.objects.create(
        case=case,
        kind=CaseDocument.Kind.DECISION_NOTICE,
        year=2025,
        sequence=1,
        number="历城执监决〔2025〕1号",
        file=ContentFile(b"notice", name="decision.txt"),
    )
    today = clock.set(
        periods.review_request_deadline(case.notified_on).end
        + datetime.timedelta(days=1)
    )
    services.record_act_finding(
        case, user=investigator, finding="lawful", reasons="执法行为合法适当。"
    )
    archived = services.transition(case, Stage.ARCHIVED, user=investigator)
    assert archived.stage == Stage.ARCHIVED
    assert case.stage == Stage.NOTIFIED  # the caller's copy is stale

    counts = (Activity.objects.count(), Correction.objects.count())
    assert "已归档" in refused(
        services.record_activity,
        case,
        user=investigator,
        kind=Activity.Kind.INQUIRY,
        occurred_on=today,
        summary="补充询问。",
    )
    assert "已归档" in refused(
        services.order_correction,
        link.case,
        user=investigator,
        reasons="事由。",
        items="事项。",
        requirements="要求。",
        deadline=D(2025, 12, 31),
    )
    assert (Activity.objects.count(), Correction.objects.count()) == counts


# --- Case numbers -------------------------------------------------------------


def test_numbers_run_per_year_and_restart_in_a_new_year(make_case, clock):
    clock.set(D(2026, 1, 4))  # every filing below lies in the past
    first = make_case(filed_on=D(2025, 3, 1))
    second = make_case(filed_on=D(2025, 12, 31))
    new_year = make_case(filed_on=D(2026, 1, 4))
    third = make_case(filed_on=D(2025, 12, 31))
    assert [(c.year, c.sequence) for c in (first, second, new_year, third)] == [
        (2025, 1),
        (2025, 2),
        (2026, 1),
        (2025, 3),
    ]
    assert new_year.number == "历城执监〔2026〕第1号"
    assert third.number == "历城执监〔2025〕第3号"
    assert SupervisionCase.objects.filter(year=2025).count() == 3


def test_the_factory_files_through_the_service_layer(db, clock):
    case = SupervisionCaseFactory(filed_on=D(2025, 6, 3))
    assert case.number == "历城执监〔2025〕第1号"
    assert case.case_officers.count() == 1
    assert case.decision_due == periods.investigation_deadline(D(2025, 6, 3)).end


def test_a_number_taken_meanwhile_is_retried(make_case, monkeypatch):
    """Two filings race: this one read the highest sequence before the other
    was saved. The database's uniqueness decides and the filing retries."""
    make_case(filed_on=D(2025, 5, 6))
    real_aggregate = CaseQuerySet.aggregate
    calls = []

    def stale_then_fresh(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            return {"top": None}  # the read that missed the other filing
        return real_aggregate(self, *args, **kwargs)

    monkeypatch.setattr(CaseQuerySet, "aggregate", stale_then_fresh)
    case = make_case(filed_on=D(2025, 5, 7))
    assert len(calls) == 2
    assert (case.sequence, case.number) == (2, "历城执监〔2025〕第2号")
    assert list(
        SupervisionCase.objects.order_by("sequence").values_list("sequence", flat=True)
    ) == [1, 2]


def test_a_liaison_cannot_file(make_case, refused, agency):
    liaison = LiaisonFactory(agency=agency)
    assert "只有监督机构工作人员" in refused(make_case, user=liaison)
    assert not SupervisionCase.objects.exists()


# --- An archived case is read only -------------------------------------------


@pytest.fixture
def archived_with_loose_ends(
    make_case, clock, head, investigator, investigator2, liaison, officer_a
):
    """An archived major, complex case that still has something each write
    service could touch: a held hearing, a filed transfer, an appraisal left
    open after 核实, a pending extension request, a verified correction with a
    pending correction extension request, and a pending recusal."""
    case = make_case(is_major_complex=True)
    services.assign_investigator(case, investigator, user=head)
    services.assign_investigator(case, investigator2, user=head)
    hearing = services.schedule_hearing(
        case,
        user=head,
        scheduled_on=D(2025, 9, 12),
        host_name="吴某",
        host_legal_qualification="法律职业资格",
        host_professional_qualification="食品安全专业",
    )
    case = services.transition(case, Stage.VERIFYING, user=investigator)
    clock.set(D(2025, 9, 2))
    transfer = services.transfer_to_agency(
        case, user=investigator, reason="先行自查。", received_on=D(2025, 9, 2)
    )
    clock.set(D(2025, 9, 9))
    services.record_transfer_result(
        transfer,
        user=liaison,
        handled_on=D(2025, 9, 8),
        result="已自查。",
        result_filed_on=D(2025, 9, 9),
    )
    clock.set(D(2025, 9, 12))
    services.record_hearing(
        hearing, user=investigator, held_on=D(2025, 9, 12), minutes="笔录。"
    )
    extension = services.request_extension(
        case, user=investigator, days=10, reason="复杂。"
    )
    clock.set(D(2025, 9, 13))
    services.record_statement(
        case.case_officers.get(),
        user=investigator,
        heard_on=D(2025, 9, 13),
        waived=True,
    )
    case = services.transition(case, Stage.DETERMINED, user=investigator)
    clock.set(D(2025, 9, 16))
    appraisal = services.record_activity(
        case,
        user=investigator,
        kind=Activity.Kind.APPRAISAL,
        occurred_on=D(2025, 9, 15),
        summary="补充检测。",
        appraisal_started_on=D(2025, 9, 15),
    )
    determine_no_tolerance(
        case.case_officers.get(), investigator, decided_on=D(2025, 9, 16)
    )
    CaseDocument.objects.create(
        case=case,
        kind=CaseDocument.Kind.DECISION_NOTICE,
        year=2025,
        sequence=7,
        number="历城执监决〔2025〕7号",
        file=ContentFile(b"notice", name="decision.txt"),
    )
    clock.set(D(2025, 9, 17))
    case = services.transition(case, Stage.NOTIFIED, user=head)
    clock.set(D(2025, 9, 18))
    services.record_notification(
        case,
        user=investigator,
        recipient="当事人",
        is_party=True,
        method=Notification.Method.POST,
        served_on=D(2025, 9, 18),
    )
    correction = services.order_correction(
        case,
        user=investigator,
        reasons="事由。",
        items="事项。",
        requirements="要求。",
        deadline=D(2025, 10, 31),
    )
    case = services.transition(case, Stage.CORRECTING, user=investigator)
    clock.set(D(2025, 10, 15))
    services.report_correction_progress(
        correction,
        user=liaison,
        reported_on=D(2025, 10, 15),
        content="已完成。",
        completed=True,
    )
    correction_extension = services.request_correction_extension(
        correction,
        user=liaison,
        requested_deadline=D(2025, 11, 30),
        reason="特殊情况。",
    )
    clock.set(D(2025, 10, 20))
    services.verify_correction(
        correction, user=investigator, verified_on=D(2025, 10, 20)
    )
    pending = SupervisionOfficerFactory(username="late_recusal")
    recusal = services.request_recusal(
        case, pending, user=pending, kind=Recusal.Kind.DECLARED, reason="亲属。"
    )
    clock.set(D(2025, 11, 3))
    services.record_act_finding(
        case, user=investigator, finding="lawful", reasons="执法行为合法适当。"
    )
    case = services.transition(case, Stage.ARCHIVED, user=investigator)
    assert case.is_archived
    return {
        "case": case,
        "hearing": hearing,
        "transfer": transfer,
        "appraisal": appraisal,
        "extension": extension,
        "correction": correction,
        "correction_extension": correction_extension,
        "recusal": recusal,
        "officer": officer_a,
        "newcomer": SupervisionOfficerFactory(username="newcomer"),
        "pending": pending,
    }


ARCHIVED_WRITES = {
    "record_activity": lambda x, u, h, li: services.record_activity(
        x["case"],
        user=u,
        kind=Activity.Kind.INQUIRY,
        occurred_on=D(2025, 11, 3),
        summary="补充询问。",
    ),
    "finish_appraisal": lambda x, u, h, li: services.finish_appraisal(
        x["appraisal"], user=u, ended_on=D(2025, 11, 3)
    ),
    "add_officer": lambda x, u, h, li: services.add_officer(
        x["case"], OfficerFactory.build(), error_type=ErrorType.OTHER, user=u
    ),
    "assign_investigator": lambda x, u, h, li: services.assign_investigator(
        x["case"], x["newcomer"], user=h
    ),
    "request_recusal": lambda x, u, h, li: services.request_recusal(
        x["case"], u, user=u, kind=Recusal.Kind.DECLARED, reason="亲属。"
    ),
    "set_joint_investigation": lambda x, u, h, li: services.set_joint_investigation(
        x["case"], user=u, counterpart="区纪委监委", since=D(2025, 11, 3)
    ),
    "add_attachment": lambda x, u, h, li: services.add_attachment(
        x["case"], user=li, title="补充材料", file=ContentFile(b"x", name="x.txt")
    ),
    "record_transfer_result": lambda x, u, h, li: services.record_transfer_result(
        x["transfer"],
        user=li,
        handled_on=D(2025, 9, 8),
        result="改写处理结果。",
        result_filed_on=D(2025, 9, 9),
    ),
    "record_hearing": lambda x, u, h, li: services.record_hearing(
        x["hearing"], user=u, held_on=D(2025, 9, 12), minutes="改写笔录。"
    ),
    "request_extension": lambda x, u, h, li: services.request_extension(
        x["case"], user=u, days=5, reason="复杂。"
    ),
    "decide_extension": lambda x, u, h, li: services.decide_extension(
        x["extension"], user=h, approve=True
    ),
    "record_notification": lambda x, u, h, li: services.record_notification(
        x["case"],
        user=u,
        recipient="补充送达",
        is_party=False,
        method=Notification.Method.POST,
        served_on=D(2025, 11, 3),
    ),
    "request_review": lambda x, u, h, li: services.request_review(
        x["case"],
        user=u,
        applicant="张三",
        decision_received_on=D(2025, 11, 1),
        requested_on=D(2025, 11, 3),
        grounds="不服。",
    ),
    "order_correction": lambda x, u, h, li: services.order_correction(
        x["case"],
        user=u,
        reasons="事由。",
        items="事项。",
        requirements="要求。",
        deadline=D(2025, 12, 31),
    ),
    "request_correction_extension": lambda x, u, h, li: (
        services.request_correction_extension(
            x["correction"],
            user=li,
            requested_deadline=D(2026, 1, 31),
            reason="特殊情况。",
        )
    ),
    "decide_correction_extension": lambda x, u, h, li: (
        services.decide_correction_extension(
            x["correction_extension"], user=h, approve=True
        )
    ),
}


def test_an_archived_case_refuses_every_write(
    archived_with_loose_ends, not_refused, db_snapshot, investigator, head, liaison
):
    before = db_snapshot()
    let_through = not_refused(
        ARCHIVED_WRITES,
        "案件已归档，案卷只读，不能再修改。",
        archived_with_loose_ends,
        investigator,
        head,
        liaison,
    )
    assert let_through == {}
    assert db_snapshot() == before
