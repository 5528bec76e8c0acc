"""Who sees which case: SupervisionCase.objects.visible_to (DESIGN.md, "Who
uses it"), and recusal (回避, Art. 16) cutting a person off the case."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile

from casework import roles, services
from casework.models import (
    Activity,
    Assignment,
    CaseRecordError,
    Determination,
    ErrorType,
    LiaisonAssignment,
    Recusal,
    Review,
    SupervisionCase,
)
from casework.rules.articles import Outcome
from casework.rules.stages import Stage
from tests.testkit.factories import (
    DISTINCTIONS,
    HeadFactory,
    LiaisonFactory,
    OfficerFactory,
    ReviewerFactory,
    ReviewFactory,
    SupervisionOfficerFactory,
    UserFactory,
    reload,
)

pytestmark = pytest.mark.django_db

D = datetime.date


def recuse(case, person, *, head, declared=True):
    """Declared by the person (or ordered by the head) and approved by the head."""
    recusal = services.request_recusal(
        case,
        person,
        user=person if declared else head,
        kind=Recusal.Kind.DECLARED if declared else Recusal.Kind.ORDERED,
        reason="与被调查人系近亲属。",
    )
    return services.decide_recusal(recusal, user=head, approve=True)


# --- The matrix -----------------------------------------------------------------


@pytest.fixture
def world(make_case, agency, other_agency, head):
    """Three cases: ``mine`` (the agency's, with a review request), ``quiet``
    (the agency's, no review) and ``elsewhere`` (another agency's) and one
    user per row of the matrix."""
    mine = make_case(title="本机关案件（已申请复核）")
    quiet = make_case(title="本机关案件（未申请复核）")
    elsewhere = make_case(
        title="其他机关案件",
        agency=other_agency,
        officers=[(OfficerFactory(agency=other_agency), ErrorType.OTHER)],
    )
    ReviewFactory(case=mine)

    recused = SupervisionOfficerFactory(username="recused")
    recuse(mine, recused, head=head)
    pending = SupervisionOfficerFactory(username="pending_recusal")
    services.request_recusal(
        mine, pending, user=pending, kind=Recusal.Kind.DECLARED, reason="曾参与执法。"
    )
    rejected = SupervisionOfficerFactory(username="rejected_recusal")
    services.decide_recusal(
        services.request_recusal(
            mine,
            rejected,
            user=rejected,
            kind=Recusal.Kind.DECLARED,
            reason="曾与当事人同学。",
        ),
        user=head,
        approve=False,
    )
    recused_superuser = UserFactory(
        username="root_recused", is_superuser=True, is_staff=True
    )
    recuse(mine, recused_superuser, head=head)

    users = {
        "head": head,
        "officer": SupervisionOfficerFactory(username="officer"),
        "recused officer": recused,
        "officer with a pending recusal": pending,
        "officer with a rejected recusal": rejected,
        "liaison of the agency": LiaisonFactory(username="own_liaison", agency=agency),
        "liaison of another agency": LiaisonFactory(
            username="other_liaison", agency=other_agency
        ),
        "liaison of no agency": UserFactory(username="unlinked", roles=[roles.LIAISON]),
        "reviewer": ReviewerFactory(username="reviewer"),
        "staff without a role": UserFactory(username="staff", is_staff=True),
        "inactive head": HeadFactory(username="gone", is_active=False),
        "inactive liaison": LiaisonFactory(
            username="gone_liaison", agency=agency, is_active=False
        ),
        "superuser": UserFactory(username="root", is_superuser=True, is_staff=True),
        "recused superuser": recused_superuser,
        "anonymous": AnonymousUser(),
    }
    return {"mine": mine, "quiet": quiet, "elsewhere": elsewhere}, users


EVERY = {"mine", "quiet", "elsewhere"}


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("head", EVERY),
        ("officer", EVERY),
        ("recused officer", {"quiet", "elsewhere"}),
        ("officer with a pending recusal", EVERY),
        ("officer with a rejected recusal", EVERY),
        ("liaison of the agency", {"mine", "quiet"}),
        ("liaison of another agency", {"elsewhere"}),
        ("liaison of no agency", set()),
        ("reviewer", {"mine"}),  # only the case with a review request
        ("staff without a role", set()),
        ("inactive head", set()),
        ("inactive liaison", set()),
        ("superuser", EVERY),
        ("recused superuser", {"quiet", "elsewhere"}),
        ("anonymous", set()),
    ],
)
def test_visibility_matrix(world, who, expected):
    cases, users = world
    visible = SupervisionCase.objects.visible_to(users[who])
    names = {
        name for name, case in cases.items() if visible.filter(pk=case.pk).exists()
    }
    assert names == expected
    pks = list(visible.values_list("pk", flat=True))
    assert len(pks) == len(set(pks)) == len(expected)


def test_no_duplicates_through_several_joins(make_case, agency, other_agency, head):
    """A liaison who is also a reviewer, of a case with two reviews and
    several liaisons, sees each case once."""
    case = make_case()
    other = make_case()
    ReviewFactory(case=case)
    ReviewFactory(case=case, applicant="李某")
    user = LiaisonFactory(
        username="both", agency=agency, roles=[roles.LIAISON, roles.REVIEWER]
    )
    LiaisonAssignment.objects.create(user=user, agency=other_agency)
    LiaisonFactory(username="colleague", agency=agency)
    LiaisonFactory(username="colleague2", agency=agency)

    visible = SupervisionCase.objects.visible_to(user)
    assert list(visible.values_list("pk", flat=True)) == [other.pk, case.pk]
    assert visible.count() == 2
    assert sorted(c.pk for c in visible) == sorted({case.pk, other.pk})
    # Still once each after the queryset is filtered further.
    assert visible.filter(stage=Stage.FILED).count() == 2
    assert SupervisionCase.objects.visible_to(head).count() == 2


def test_a_role_can_be_combined_with_a_recusal(make_case, agency, head):
    """A liaison-and-reviewer recused from the case does not see it by either
    route."""
    case = make_case()
    ReviewFactory(case=case)
    user = LiaisonFactory(agency=agency, roles=[roles.LIAISON, roles.REVIEWER])
    assert SupervisionCase.objects.visible_to(user).filter(pk=case.pk).exists()
    recuse(case, user, head=head)
    assert not SupervisionCase.objects.visible_to(user).filter(pk=case.pk).exists()


def test_the_visible_queryset_still_cannot_delete(make_case, head):
    make_case()
    with pytest.raises(CaseRecordError):
        SupervisionCase.objects.visible_to(head).delete()


# --- Recusal (Art. 16) ----------------------------------------------------------


def test_an_approved_recusal_cuts_the_investigator_off(
    ready_case, clock, refused, head, investigator, investigator2
):
    case = ready_case
    recusal = services.request_recusal(
        case,
        investigator2,
        user=investigator2,
        kind=Recusal.Kind.DECLARED,
        reason="被调查人李四系本人表弟。",
    )
    assert recusal.status == Recusal.Status.PENDING
    # Still an investigator until the head decides.
    assert Assignment.objects.get(case=case, investigator=investigator2).active
    assert SupervisionCase.objects.visible_to(investigator2).filter(pk=case.pk).exists()
    assert "已有回避申请或已回避" in refused(
        services.request_recusal,
        case,
        investigator2,
        user=investigator2,
        kind=Recusal.Kind.DECLARED,
        reason="重复申请。",
    )

    services.decide_recusal(recusal, user=head, approve=True)
    recusal.refresh_from_db()
    assert (recusal.status, recusal.decided_by) == (Recusal.Status.APPROVED, head)
    assert recusal.decided_at is not None

    # The assignment ends...
    assignment = Assignment.objects.get(case=case, investigator=investigator2)
    assert assignment.active is False
    assert assignment.history.filter(active=False).exists()
    # ...the case disappears from everything the person can see...
    assert (
        not SupervisionCase.objects.visible_to(investigator2)
        .filter(pk=case.pk)
        .exists()
    )
    assert SupervisionCase.objects.visible_to(investigator).filter(pk=case.pk).exists()
    # ...they cannot be assigned again...
    message = refused(services.assign_investigator, case, investigator2, user=head)
    assert "已回避本案，不能指派" in message
    assert not Assignment.objects.get(case=case, investigator=investigator2).active
    # ...and only one investigator is left, so the case cannot leave 核实.
    assert "目前未回避的调查人员为1人" in refused(
        services.transition, case, Stage.DETERMINED, user=investigator
    )

    # The services refuse the recused person.
    activities = Activity.objects.count()
    assert "无权办理此案件" in refused(
        services.record_activity,
        case,
        user=investigator2,
        kind=Activity.Kind.INQUIRY,
        occurred_on=D(2025, 9, 10),
        summary="询问。",
    )
    assert Activity.objects.count() == activities
    assert "无权办理此案件" in refused(
        services.add_attachment,
        case,
        user=investigator2,
        title="证据",
        file=ContentFile(b"x", name="evidence.txt"),
    )
    assert not case.attachments.exists()
    assert "无权办理此案件" in refused(
        services.transition, case, Stage.DETERMINED, user=investigator2
    )

    # A replacement is assigned and the case moves on without them.
    replacement = SupervisionOfficerFactory(username="replacement")
    services.assign_investigator(case, replacement, user=head)
    case = services.transition(case, Stage.DETERMINED, user=investigator)
    link = case.case_officers.first()
    assert "无权办理此案件" in refused(
        services.determine,
        link,
        user=investigator2,
        outcome=Outcome.EXEMPT,
        basis=["10(2)"],
        facts="事实。",
        **DISTINCTIONS,
    )
    assert not Determination.objects.exists()


@pytest.fixture
def recused_head(
    make_case, notified_case, clock, head, investigator, investigator2, liaison
):
    """A second head recused from two cases that have something pending for
    every service: ``verifying`` (major and complex, with a hearing, a
    transfer, an open appraisal and an extension request) and ``notified``
    (with a correction reported complete, a correction extension request and a
    review request)."""
    verifying = make_case(is_major_complex=True)
    services.assign_investigator(verifying, investigator, user=head)
    services.assign_investigator(verifying, investigator2, user=head)
    verifying = services.transition(verifying, Stage.VERIFYING, user=investigator)
    hearing = services.schedule_hearing(
        verifying,
        user=head,
        scheduled_on=D(2025, 9, 15),
        host_name="吴某",
        host_legal_qualification="法律职业资格",
        host_professional_qualification="食品安全专业",
    )
    transfer = services.transfer_to_agency(
        verifying, user=investigator, reason="先行自查。", received_on=D(2025, 9, 3)
    )
    appraisal = services.record_activity(
        verifying,
        user=investigator,
        kind=Activity.Kind.APPRAISAL,
        occurred_on=D(2025, 9, 1),
        summary="委托检测。",
        appraisal_started_on=D(2025, 9, 1),
    )
    extension = services.request_extension(
        verifying, user=investigator, days=10, reason="复杂。"
    )

    notified = notified_case
    correction = services.order_correction(
        notified,
        user=investigator,
        reasons="事由。",
        items="事项。",
        requirements="要求。",
        deadline=D(2025, 11, 30),
    )
    clock.set(D(2025, 10, 10))
    services.report_correction_progress(
        correction,
        user=liaison,
        reported_on=D(2025, 10, 10),
        content="已完成。",
        completed=True,
    )
    correction_extension = services.request_correction_extension(
        correction,
        user=liaison,
        requested_deadline=D(2025, 12, 31),
        reason="特殊情况。",
    )
    review = services.request_review(
        notified,
        user=investigator,
        applicant="李四",
        decision_received_on=notified.notified_on,
        requested_on=notified.notified_on,
        grounds="不服。",
    )
    person = HeadFactory(username="recused_head")
    other = SupervisionOfficerFactory(username="to_be_recused")
    recusal = services.request_recusal(
        verifying, other, user=other, kind=Recusal.Kind.DECLARED, reason="亲属。"
    )
    for case in (verifying, notified):
        recuse(case, person, head=head)
    return person, {
        "verifying": reload(verifying),
        "notified": reload(notified),
        "hearing": hearing,
        "transfer": transfer,
        "appraisal": appraisal,
        "extension": extension,
        "correction": correction,
        "correction_extension": correction_extension,
        "review": review,
        "recusal": recusal,
        "new_officer": OfficerFactory(agency=verifying.agency),
        "new_investigator": SupervisionOfficerFactory(username="newcomer"),
    }


# Each call is dated within its case's filing and the fixture's today
# (2025-10-10), so only the recusal can refuse it.
SERVICE_CALLS = {
    "add_officer": lambda u, x: services.add_officer(
        x["verifying"], x["new_officer"], error_type=ErrorType.OTHER, user=u
    ),
    "assign_investigator": lambda u, x: services.assign_investigator(
        x["verifying"], x["new_investigator"], user=u
    ),
    "decide_recusal": lambda u, x: services.decide_recusal(
        x["recusal"], user=u, approve=True
    ),
    "set_joint_investigation": lambda u, x: services.set_joint_investigation(
        x["verifying"], user=u, counterpart="区纪委监委", since=D(2025, 9, 5)
    ),
    "record_activity": lambda u, x: services.record_activity(
        x["verifying"],
        user=u,
        kind=Activity.Kind.INQUIRY,
        occurred_on=D(2025, 9, 5),
        summary="询问。",
    ),
    "finish_appraisal": lambda u, x: services.finish_appraisal(
        x["appraisal"], user=u, ended_on=D(2025, 9, 8)
    ),
    "add_attachment": lambda u, x: services.add_attachment(
        x["verifying"], user=u, title="证据", file=ContentFile(b"x", name="e.txt")
    ),
    "record_statement": lambda u, x: services.record_statement(
        x["verifying"].case_officers.first(),
        user=u,
        heard_on=D(2025, 9, 5),
        content="陈述。",
    ),
    "transfer_to_agency": lambda u, x: services.transfer_to_agency(
        x["notified"], user=u, reason="移交。", received_on=D(2025, 9, 5)
    ),
    "record_transfer_result": lambda u, x: services.record_transfer_result(
        x["transfer"],
        user=u,
        handled_on=D(2025, 9, 10),
        result="已处理。",
        result_filed_on=D(2025, 9, 11),
    ),
    "schedule_hearing": lambda u, x: services.schedule_hearing(
        x["verifying"],
        user=u,
        scheduled_on=D(2025, 9, 20),
        host_name="郑某",
        host_legal_qualification="法律职业资格",
        host_professional_qualification="专业知识",
    ),
    "record_hearing": lambda u, x: services.record_hearing(
        x["hearing"], user=u, held_on=D(2025, 9, 15), minutes="笔录。"
    ),
    "request_extension": lambda u, x: services.request_extension(
        x["notified"], user=u, days=10, reason="复杂。"
    ),
    "decide_extension": lambda u, x: services.decide_extension(
        x["extension"], user=u, approve=True
    ),
    "determine": lambda u, x: services.determine(
        x["notified"].case_officers.first(),
        user=u,
        outcome=Outcome.EXEMPT,
        basis=["10(2)"],
        facts="事实。",
        **DISTINCTIONS,
    ),
    "record_notification": lambda u, x: services.record_notification(
        x["notified"],
        user=u,
        recipient="当事人",
        is_party=True,
        method="post",
        served_on=D(2025, 9, 27),
    ),
    "request_review": lambda u, x: services.request_review(
        x["notified"],
        user=u,
        applicant="张三",
        decision_received_on=x["notified"].notified_on,
        requested_on=x["notified"].notified_on,
        grounds="不服。",
    ),
    "decide_review": lambda u, x: services.decide_review(
        x["review"], user=u, result=Review.Result.CHANGED, reasons="变更。"
    ),
    "order_correction": lambda u, x: services.order_correction(
        x["notified"],
        user=u,
        reasons="事由。",
        items="事项。",
        requirements="要求。",
        deadline=D(2025, 12, 31),
    ),
    "report_correction_progress": lambda u, x: services.report_correction_progress(
        x["correction"], user=u, reported_on=D(2025, 10, 10), content="进展。"
    ),
    "request_correction_extension": lambda u, x: services.request_correction_extension(
        x["correction"],
        user=u,
        requested_deadline=D(2026, 1, 31),
        reason="特殊情况。",
    ),
    "decide_correction_extension": lambda u, x: services.decide_correction_extension(
        x["correction_extension"], user=u, approve=True
    ),
    "verify_correction": lambda u, x: services.verify_correction(
        x["correction"], user=u, verified_on=D(2025, 10, 10)
    ),
    "transition": lambda u, x: services.transition(
        x["verifying"], Stage.DETERMINED, user=u
    ),
}


def test_every_service_refuses_a_recused_person(recused_head, not_refused, db_snapshot):
    """Art. 16: once recused, no access to the case, not only through the
    lists: a recused head (who holds every officer power) is refused by each
    service that writes to the case."""
    person, context = recused_head
    before = db_snapshot()
    let_through = not_refused(
        SERVICE_CALLS, "无权办理此案件（可能已回避）", person, context
    )
    assert let_through == {}
    assert db_snapshot() == before


def test_a_rejected_recusal_keeps_the_investigator(verifying_case, head, investigator2):
    recusal = services.request_recusal(
        verifying_case,
        investigator2,
        user=investigator2,
        kind=Recusal.Kind.DECLARED,
        reason="利害关系较远。",
    )
    services.decide_recusal(recusal, user=head, approve=False)
    assert Assignment.objects.get(
        case=verifying_case, investigator=investigator2
    ).active
    assert (
        SupervisionCase.objects.visible_to(investigator2)
        .filter(pk=verifying_case.pk)
        .exists()
    )


def test_recusal_requests_are_made_and_decided_by_the_right_people(
    verifying_case, refused, head, investigator, investigator2, liaison
):
    case = verifying_case
    assert "须由本人提出" in refused(
        services.request_recusal,
        case,
        investigator2,
        user=investigator,
        kind=Recusal.Kind.DECLARED,
        reason="代为申请。",
    )
    assert "只有监督机构工作人员" in refused(
        services.request_recusal,
        case,
        investigator2,
        user=liaison,
        kind=Recusal.Kind.ORDERED,
        reason="举报。",
    )
    assert "请说明与案件的利害关系" in refused(
        services.request_recusal,
        case,
        investigator2,
        user=investigator2,
        kind=Recusal.Kind.DECLARED,
        reason=" ",
    )
    recusal = services.request_recusal(
        case,
        investigator2,
        user=investigator,
        kind=Recusal.Kind.ORDERED,
        reason="经查与当事人有经济往来。",
    )
    assert "须经监督机构负责人批准" in refused(
        services.decide_recusal, recusal, user=investigator, approve=True
    )
    # The head cannot approve their own recusal.
    own = services.request_recusal(
        case, head, user=head, kind=Recusal.Kind.DECLARED, reason="本人曾审批该处罚。"
    )
    assert "不能批准本人的回避申请" in refused(
        services.decide_recusal, own, user=head, approve=True
    )
    own.refresh_from_db()
    assert own.status == Recusal.Status.PENDING
    assert SupervisionCase.objects.visible_to(head).filter(pk=case.pk).exists()
    services.decide_recusal(own, user=HeadFactory(username="deputy"), approve=True)
    assert not SupervisionCase.objects.visible_to(head).filter(pk=case.pk).exists()
    # Nor approve a recusal twice.
    services.decide_recusal(recusal, user=HeadFactory(username="deputy2"), approve=True)
    assert "已处理" in refused(
        services.decide_recusal, recusal, user=HeadFactory(username="d3"), approve=True
    )


def test_the_liaison_reaches_only_their_agency_through_the_services(
    notified_case, clock, refused, liaison, other_liaison, investigator
):
    correction = services.order_correction(
        notified_case,
        user=investigator,
        reasons="事由。",
        items="事项。",
        requirements="要求。",
        deadline=D(2025, 11, 30),
    )
    clock.set(D(2025, 10, 10))
    assert "无权办理此案件" in refused(
        services.report_correction_progress,
        correction,
        user=other_liaison,
        reported_on=D(2025, 10, 10),
        content="进展。",
    )
    progress = services.report_correction_progress(
        correction, user=liaison, reported_on=D(2025, 10, 10), content="进展。"
    )
    assert progress.correction == correction
    attachment = services.add_attachment(
        notified_case,
        user=liaison,
        title="整改报告",
        file=ContentFile(b"report", name="report.txt"),
    )
    assert attachment.visible_to_agency is True
