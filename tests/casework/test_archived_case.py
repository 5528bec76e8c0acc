"""An archived case is read only (归档): every write service refuses it with
the same message and changes nothing, also through a case object loaded
before the case was archived."""

import datetime

import pytest
from django.core.files.base import ContentFile

from casework import services
from casework.models import (
    Activity,
    CaseDocument,
    Correction,
    ErrorType,
    Notification,
    Recusal,
)
from casework.rules import periods
from casework.rules.stages import Stage
from tests.testkit.factories import (
    OfficerFactory,
    SupervisionOfficerFactory,
    determine_no_tolerance,
)

pytestmark = pytest.mark.django_db

D = datetime.date


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
