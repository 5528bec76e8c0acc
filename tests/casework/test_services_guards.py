"""The service layer refuses what the measures forbid, says why in Chinese,
and leaves nothing half-saved (Art. 12, 14-19); case records are never
deleted. Every date recorded on a case lies between its filing and today, so
the tests move the ``clock`` forward before recording a later date."""

import datetime
from functools import partial

import pytest
from django.core.files.base import ContentFile

from casework import services
from casework.models import (
    Activity,
    CaseDocument,
    CaseOfficer,
    CaseRecordError,
    Determination,
    ErrorType,
    Extension,
    Notification,
    Review,
    StageChange,
    SupervisionCase,
)
from casework.rules import periods
from casework.rules.articles import Outcome, is_error
from casework.rules.stages import Stage
from tests.testkit.factories import (
    DECIDED_ON,
    DETERMINED_ON,
    DISTINCTIONS,
    FILED_ON,
    SERVED_ON,
    LiaisonFactory,
    OfficerFactory,
    SupervisionOfficerFactory,
    determine_exempt,
    determine_no_tolerance,
    reload,
)

pytestmark = pytest.mark.django_db

D = datetime.date


def links(case):
    """The case's persons concerned by officer name, bound to a fresh case."""
    case = reload(case)
    return {link.officer.name: link for link in case.case_officers.all()}


# --- Leaving 核实 (Art. 14-16) --------------------------------------------------


def test_leaving_verification_needs_two_investigators(
    case, clock, refused, db_snapshot, head, investigator
):
    services.assign_investigator(case, investigator, user=head)
    case = services.transition(case, Stage.VERIFYING, user=investigator)
    clock.set(D(2025, 9, 3))
    for link in case.case_officers.all():
        services.record_statement(
            link, user=investigator, heard_on=D(2025, 9, 3), content="陈述。"
        )
    before = db_snapshot()
    message = refused(services.transition, case, Stage.DETERMINED, user=investigator)
    assert "调查人员不得少于两人" in message
    assert message.endswith("（第十六条）。")
    assert "目前未回避的调查人员为1人" in message
    assert db_snapshot() == before
    assert reload(case).stage == Stage.VERIFYING


def test_an_inactive_assignment_does_not_count(
    ready_case, refused, head, investigator, investigator2
):
    # Rejected recusals keep the assignment; only active, non-recused count.
    assignment = ready_case.assignments.get(investigator=investigator2)
    assignment.active = False
    assignment.save()
    message = refused(
        services.transition, ready_case, Stage.DETERMINED, user=investigator
    )
    assert "目前未回避的调查人员为1人" in message


def test_leaving_verification_needs_every_statement(
    verifying_case, clock, refused, db_snapshot, investigator
):
    before = db_snapshot()
    message = refused(
        services.transition, verifying_case, Stage.DETERMINED, user=investigator
    )
    assert "陈述申辩，尚有2人未记录（第十六条）" in message
    assert db_snapshot() == before

    first = verifying_case.case_officers.first()
    clock.set(D(2025, 9, 3))
    services.record_statement(
        first, user=investigator, heard_on=D(2025, 9, 3), waived=True
    )
    message = refused(
        services.transition, verifying_case, Stage.DETERMINED, user=investigator
    )
    assert "尚有1人未记录" in message


def test_a_statement_needs_content_or_a_waiver_and_is_recorded_once(
    verifying_case, clock, refused, investigator
):
    link = verifying_case.case_officers.first()
    clock.set(D(2025, 9, 4))
    message = refused(
        services.record_statement,
        link,
        user=investigator,
        heard_on=D(2025, 9, 3),
        content="  ",
    )
    assert "请记录陈述申辩内容" in message
    services.record_statement(
        link, user=investigator, heard_on=D(2025, 9, 3), content="有"
    )
    assert "已记录" in refused(
        services.record_statement,
        link,
        user=investigator,
        heard_on=D(2025, 9, 4),
        content="再次",
    )


def test_leaving_verification_waits_for_a_transfer_result(
    ready_case, clock, refused, db_snapshot, investigator, liaison
):
    transfer = services.transfer_to_agency(
        ready_case,
        user=investigator,
        reason="由执法机关先行自查。",
        received_on=D(2025, 9, 5),
    )
    assert (
        transfer.handling_due == periods.transfer_handling_deadline(D(2025, 9, 5)).end
    )
    assert "已有未办结的移交" in refused(
        services.transfer_to_agency,
        ready_case,
        user=investigator,
        reason="再次移交。",
        received_on=D(2025, 9, 6),
    )
    before = db_snapshot()
    message = refused(
        services.transition, ready_case, Stage.DETERMINED, user=investigator
    )
    assert (
        "案件已移交行政执法机关处理，处理结果尚未报备"
        "（依本机构工作规则：已启动的鉴定、听证、移交办结后方可认定）"
    ) in message
    assert db_snapshot() == before

    # The agency's liaison files the result (备案); then the case may move on.
    clock.set(D(2025, 9, 22))
    services.record_transfer_result(
        transfer,
        user=liaison,
        handled_on=D(2025, 9, 20),
        result="自查发现告知程序缺失，已整改。",
        result_filed_on=D(2025, 9, 22),
    )
    transfer.refresh_from_db()
    assert transfer.filing_due == periods.transfer_filing_deadline(D(2025, 9, 20)).end
    case = services.transition(ready_case, Stage.DETERMINED, user=investigator)
    assert case.stage == Stage.DETERMINED


def test_leaving_verification_waits_for_an_open_appraisal(
    ready_case, clock, refused, db_snapshot, investigator
):
    clock.set(D(2025, 9, 12))
    appraisal = services.record_activity(
        ready_case,
        user=investigator,
        kind=Activity.Kind.APPRAISAL,
        occurred_on=D(2025, 9, 4),
        summary="委托评估。",
        appraisal_started_on=D(2025, 9, 4),
    )
    # While it runs, the clock is paused up to today.
    assert reload(ready_case).decision_due == (
        periods.investigation_deadline(FILED_ON, paused_days=8).end
    )
    before = db_snapshot()
    message = refused(
        services.transition, ready_case, Stage.DETERMINED, user=investigator
    )
    assert (
        "委托鉴定（评估、检测）尚未完成"
        "（依本机构工作规则：已启动的鉴定、听证、移交办结后方可认定）"
    ) in message
    assert db_snapshot() == before

    services.finish_appraisal(appraisal, user=investigator, ended_on=D(2025, 9, 10))
    assert services.transition(
        ready_case, Stage.DETERMINED, user=investigator
    ).stage == (Stage.DETERMINED)


def test_an_appraisal_needs_its_dates_in_order(
    verifying_case, clock, refused, investigator
):
    # Both dates lie between the filing and today: only their order is wrong.
    clock.set(D(2025, 9, 10))
    count = Activity.objects.count()
    assert "须填写委托日期" in refused(
        services.record_activity,
        verifying_case,
        user=investigator,
        kind=Activity.Kind.APPRAISAL,
        occurred_on=D(2025, 9, 4),
        summary="委托检测。",
    )
    assert "不能早于委托日期" in refused(
        services.record_activity,
        verifying_case,
        user=investigator,
        kind=Activity.Kind.APPRAISAL,
        occurred_on=D(2025, 9, 4),
        summary="委托检测。",
        appraisal_started_on=D(2025, 9, 10),
        appraisal_ended_on=D(2025, 9, 9),
    )
    assert Activity.objects.count() == count


def test_a_hearing_ordered_must_be_held(
    make_case, clock, refused, head, investigator, investigator2, officer_a
):
    ordinary = make_case()
    assert "不召开听证会（本机构理解：听证会用于重大复杂的案件" in refused(
        services.schedule_hearing,
        ordinary,
        user=head,
        scheduled_on=D(2025, 9, 15),
        host_name="吴某",
        host_legal_qualification="法律职业资格",
        host_professional_qualification="食品安全专业",
    )
    case = make_case(is_major_complex=True)
    assert "须经监督机构负责人批准" in refused(
        services.schedule_hearing,
        case,
        user=investigator,
        scheduled_on=D(2025, 9, 15),
        host_name="吴某",
        host_legal_qualification="法律职业资格",
        host_professional_qualification="食品安全专业",
    )
    hearing = services.schedule_hearing(
        case,
        user=head,
        scheduled_on=D(2025, 9, 15),
        host_name="吴某",
        host_legal_qualification="法律职业资格",
        host_professional_qualification="食品安全专业",
    )
    services.assign_investigator(case, investigator, user=head)
    services.assign_investigator(case, investigator2, user=head)
    case = services.transition(case, Stage.VERIFYING, user=investigator)
    clock.set(D(2025, 9, 3))
    services.record_statement(
        case.case_officers.get(),
        user=investigator,
        heard_on=D(2025, 9, 3),
        content="陈述",
    )
    assert "听证会尚未举行（依本机构工作规则" in refused(
        services.transition, case, Stage.DETERMINED, user=investigator
    )
    clock.set(D(2025, 9, 15))
    services.record_hearing(
        hearing, user=investigator, held_on=D(2025, 9, 15), minutes="听证笔录。"
    )
    assert services.transition(case, Stage.DETERMINED, user=investigator).stage == (
        Stage.DETERMINED
    )


# --- Permitted transitions only (Art. 14) -------------------------------------


def test_no_jump_from_filed_to_determined(case, refused, db_snapshot, investigator):
    before = db_snapshot()
    message = refused(services.transition, case, Stage.DETERMINED, user=investigator)
    assert "不能从“立案”阶段直接转入“认定”阶段" in message
    assert "可转入“核实”" in message
    assert db_snapshot() == before
    assert not StageChange.objects.exists()


def test_only_an_officer_moves_a_case(case, refused, liaison, reviewer):
    for user in (liaison, reviewer):
        assert "只有监督机构工作人员" in refused(
            services.transition, case, Stage.VERIFYING, user=user
        )
    assert reload(case).stage == Stage.FILED


def test_a_decision_is_served_only_when_everyone_is_determined(
    determined_case, refused, db_snapshot, investigator, head
):
    determine_exempt(links(determined_case)["张三"], investigator)
    before = db_snapshot()
    message = refused(services.transition, determined_case, Stage.NOTIFIED, user=head)
    assert "尚有1名被调查人未作出认定" in message
    assert db_snapshot() == before
    assert reload(determined_case).decided_on is None


def test_correction_needs_a_served_decision_that_requires_it(
    notified_case, refused, investigator
):
    assert "无需进入纠错阶段" in refused(
        services.transition, notified_case, Stage.CORRECTING, user=investigator
    )
    assert "只有复核决定改变认定结果时" in refused(
        services.transition, notified_case, Stage.DETERMINED, user=investigator
    )


def test_archiving_needs_a_complete_file(notified_case, clock, refused, investigator):
    clock.set(D(2025, 12, 1))  # the review window has closed
    message = refused(
        services.transition, notified_case, Stage.ARCHIVED, user=investigator
    )
    assert "归档材料不齐全，缺少：行政执法监督决定书" in message
    assert reload(notified_case).stage == Stage.NOTIFIED


# --- Determination (Art. 2, 9-12, 18) -----------------------------------------


def test_a_determination_waits_for_the_determined_stage(
    ready_case, refused, investigator
):
    assert "须处于“认定”阶段" in refused(
        determine_exempt, links(ready_case)["张三"], investigator
    )
    assert not Determination.objects.exists()


def test_an_exemption_cannot_rest_on_article_12(
    determined_case, refused, db_snapshot, investigator
):
    before = db_snapshot()
    message = refused(
        determine_exempt,
        links(determined_case)["张三"],
        investigator,
        basis=["12(1)"],
    )
    assert "第十二条第（一）项属于不予容错的情形，不能作为“免责”的依据" in message
    assert "须至少引用第十条所列的一项情形" in message
    # Mixed with a valid item it is still refused.
    message = refused(
        determine_exempt,
        links(determined_case)["张三"],
        investigator,
        basis=["10(2)", "12(6)"],
    )
    assert "第十二条第（六）项属于不予容错的情形" in message
    assert db_snapshot() == before


def test_a_basis_must_exist_in_the_policy(determined_case, refused, investigator):
    message = refused(
        determine_exempt, links(determined_case)["张三"], investigator, basis=["10(11)"]
    )
    assert "第十条没有第（十一）项" in message
    message = refused(
        determine_exempt, links(determined_case)["张三"], investigator, basis=[]
    )
    assert "须引用所依据的第十条所列情形" in message


def test_the_three_distinctions_must_each_be_answered(
    determined_case, refused, db_snapshot, investigator
):
    before = db_snapshot()
    message = refused(
        services.determine,
        links(determined_case)["张三"],
        user=investigator,
        outcome=Outcome.EXEMPT,
        basis=["10(2)"],
        facts="事实。",
        distinction_reform="",
        distinction_exploration="   ",
        distinction_intent="",
    )
    assert message.count("三个区分开来") == 3
    for label in ("改革探索与明知故犯", "探索性试验与明令禁止", "无意过失与谋取私利"):
        assert label in message
    assert db_snapshot() == before
    # One blank answer is enough to refuse.
    message = refused(
        services.determine,
        links(determined_case)["张三"],
        user=investigator,
        outcome=Outcome.EXEMPT,
        basis=["10(2)"],
        facts="事实。",
        **{**DISTINCTIONS, "distinction_intent": ""},
    )
    assert "无意过失与谋取私利" in message
    assert "改革探索与明知故犯" not in message


def test_no_tolerance_must_name_where_liability_goes(
    determined_case, refused, investigator
):
    message = refused(
        determine_no_tolerance,
        links(determined_case)["李四"],
        investigator,
        liability_referred_to="",
    )
    assert "应当依照行政执法过错责任追究程序追究过错责任" in message
    assert not Determination.objects.exists()


def test_only_an_officer_determines(determined_case, refused, reviewer):
    assert "只有监督机构工作人员可以作出认定" in refused(
        determine_exempt, links(determined_case)["张三"], reviewer
    )


def test_art12_5_repeat_is_a_recorded_finding_not_an_override(
    notified_case,
    make_case,
    clock,
    refused,
    db_snapshot,
    head,
    investigator,
    investigator2,
    officer_a,
):
    """Art. 12(5): 张三 was exempted in the first case. The later case shows
    that earlier determination; the office records whether a limb applies,
    with reasons (office rule repeat_finding_required). There is no override:
    a finding that the limb applies rules out the exemption, even for the
    head; a reasoned finding that it does not apply allows it. (Was
    test_a_repeat_exemption_is_refused_unless_the_head_overrides.)"""
    earlier = notified_case.number
    later = make_case(
        title="同一人员再次出现同类问题", officers=[(officer_a, ErrorType.EVIDENCE)]
    )
    services.assign_investigator(later, investigator, user=head)
    services.assign_investigator(later, investigator2, user=head)
    later = services.transition(later, Stage.VERIFYING, user=investigator)
    clock.set(D(2025, 9, 30))
    services.record_statement(
        later.case_officers.get(),
        user=investigator,
        heard_on=D(2025, 9, 30),
        content="陈述",
    )
    later = services.transition(later, Stage.DETERMINED, user=investigator)
    link = later.case_officers.get()
    assert [d.case_officer.case.number for d in services.prior_exemptions(link)] == [
        earlier
    ]

    before = db_snapshot()
    message = refused(determine_exempt, link, investigator)
    assert "请认定其是否属于重复出现失误、错误的情形并说明理由" in message
    assert "依本机构工作规则" in message
    message = refused(
        determine_exempt,
        link,
        head,
        repeat_finding="after_exemption",
        repeat_reasons="免责后再次出现同样的证据问题。",
        repeat_conduct_on=D(2025, 9, 28),
    )
    assert "不能认定为“免责”" in message
    assert "（第十二条第（五）项）" in message
    assert db_snapshot() == before

    determination = determine_exempt(
        link,
        investigator,
        repeat_finding="not_applicable",
        repeat_reasons="前案系政策调整所致，本案另有客观原因，并非同样失误。",
    )
    assert determination.outcome == Outcome.EXEMPT
    assert determination.prior_exemptions == [earlier]
    assert determination.repeat_finding == "not_applicable"
    assert determination.repeat_reasons.startswith("前案系政策调整")
    assert [row["case"] for row in determination.prior_determinations] == [earlier]
    assert determination.counts_as_error is False


def test_an_earlier_exemption_for_another_error_is_shown_not_decisive(
    notified_case, make_case, clock, head, investigator, investigator2, officer_a
):
    """The error type is a hint, not the test of Art. 12(5): an earlier
    exemption for another error type is listed too, and the office's
    reasoned finding decides. (Was
    test_an_earlier_exemption_for_another_error_does_not_block.)"""
    later = make_case(officers=[(officer_a, ErrorType.TIME_LIMIT)])
    services.assign_investigator(later, investigator, user=head)
    services.assign_investigator(later, investigator2, user=head)
    later = services.transition(later, Stage.VERIFYING, user=investigator)
    clock.set(D(2025, 9, 30))
    services.record_statement(
        later.case_officers.get(),
        user=investigator,
        heard_on=D(2025, 9, 30),
        waived=True,
    )
    later = services.transition(later, Stage.DETERMINED, user=investigator)
    link = later.case_officers.get()
    assert [d.case_officer.case.number for d in services.prior_exemptions(link)] == [
        notified_case.number
    ]
    determination = determine_exempt(
        link,
        investigator,
        repeat_finding="not_applicable",
        repeat_reasons="前案为证据问题，本案为期限问题，并非同样失误。",
    )
    assert determination.prior_exemptions == [notified_case.number]


def test_art12_5_finding_blocks_every_art10_outcome_after_an_earlier_exemption(
    notified_case,
    make_case,
    officer_a,
    head,
    investigator,
    investigator2,
    clock,
    refused,
):

    # 张三 was exempted for an evidence error in notified_case (decided 9-25).
    later = make_case(
        officers=[(officer_a, ErrorType.EVIDENCE)], filed_on=D(2025, 9, 26)
    )
    services.assign_investigator(later, investigator, user=head)
    services.assign_investigator(later, investigator2, user=head)
    services.transition(later, Stage.VERIFYING, user=investigator)
    link = later.case_officers.get()
    services.record_statement(
        link, user=investigator, heard_on=D(2025, 9, 26), content="陈述"
    )
    services.transition(later, Stage.DETERMINED, user=investigator)
    link.refresh_from_db()
    # Found as a repeat after the exemption (the error of 9-26 follows the
    # exemption of 9-25): no Art. 10 outcome, not even 从轻处理.
    finding = {
        "repeat_finding": "after_exemption",
        "repeat_reasons": "免责后再次出现同样的证据问题",
        "repeat_conduct_on": D(2025, 9, 26),
    }
    message = refused(
        services.determine,
        link,
        user=investigator,
        outcome=Outcome.LIGHTER,
        basis=["10(2)", "12(5)"],
        facts="再次出现同类问题",
        distinction_reform="否",
        distinction_exploration="否",
        distinction_intent="否",
        liability_referred_to="过错责任追究工作组",
        **finding,
    )
    assert "第十二条第（五）项" in message
    assert "不能认定为“从轻处理”" in message
    # Nobody overrides the finding; Art. 11 mitigation stays open.
    determination = services.determine(
        link,
        user=head,
        outcome=Outcome.MITIGATION_LIGHTER,
        basis=["11(2)", "12(5)"],
        facts="再次出现同类问题，积极配合调查并主动承担责任",
        distinction_reform="否",
        distinction_exploration="否",
        distinction_intent="否",
        liability_referred_to="过错责任追究工作组",
        decided_on=clock(),
        **finding,
    )
    assert determination.repeat_finding == "after_exemption"
    assert determination.counts_as_error is True
    assert determination.prior_exemptions == [notified_case.number]


# --- Extension (Art. 17) ------------------------------------------------------


def test_an_extension_is_at_most_thirty_days(verifying_case, refused, investigator):
    for days in (31, 0):
        assert "延长期限不得超过30日（第十七条）" in refused(
            services.request_extension,
            verifying_case,
            user=investigator,
            days=days,
            reason="案情复杂。",
        )
    assert not Extension.objects.exists()


def test_art17_extension_count_is_office_rule_and_approval_moves_the_deadline(
    verifying_case, refused, settings, head, investigator
):
    """Art. 17 caps the length (30 days in total), not the number of requests:
    one request per case is the office rule extension_requests_max, labelled
    as such. (Was test_only_one_extension_and_approval_moves_the_deadline,
    whose message said Art. 17 allows one extension.)"""
    extension = services.request_extension(
        verifying_case,
        user=investigator,
        days=20,
        reason="涉及多家执法主体，案情复杂。",
    )
    message = refused(
        services.request_extension,
        verifying_case,
        user=investigator,
        days=5,
        reason="再次延长。",
    )
    assert "依本机构工作规则：办理期限延长申请的次数" in message
    assert "第十七条" not in message
    services.decide_extension(extension, user=head, approve=True)
    extension.refresh_from_db()
    assert extension.status == Extension.Status.APPROVED
    assert extension.decided_by == head
    assert reload(verifying_case).decision_due == (
        periods.investigation_deadline(FILED_ON, extension_days=20).end
    )
    # With two requests allowed, the second fits within the 30 days; the
    # total beyond 30 days is refused by the article itself.
    settings.CASEWORK_OFFICE_RULES = {
        **settings.CASEWORK_OFFICE_RULES,
        "extension_requests_max": 2,
    }
    assert "（第十七条）" in refused(
        services.request_extension,
        verifying_case,
        user=investigator,
        days=15,
        reason="第二次延长。",
    )
    services.request_extension(
        verifying_case, user=investigator, days=10, reason="第二次延长。"
    )
    assert Extension.objects.count() == 2
    assert "已处理" in refused(
        services.decide_extension, extension, user=head, approve=False
    )


def test_a_rejected_extension_leaves_the_deadline(verifying_case, head, investigator):
    due = reload(verifying_case).decision_due
    extension = services.request_extension(
        verifying_case, user=investigator, days=20, reason="案情复杂。"
    )
    services.decide_extension(extension, user=head, approve=False)
    assert reload(verifying_case).decision_due == due
    # A rejected request does not use up the one extension.
    services.request_extension(
        verifying_case, user=investigator, days=10, reason="补充。"
    )


def test_the_head_cannot_approve_their_own_extension(
    verifying_case, refused, head, other_head
):
    extension = services.request_extension(
        verifying_case, user=head, days=15, reason="案情复杂。"
    )
    due = reload(verifying_case).decision_due
    assert "不能批准本人提出的延期申请" in refused(
        services.decide_extension, extension, user=head, approve=True
    )
    extension.refresh_from_db()
    assert extension.status == Extension.Status.PENDING
    assert extension.decided_by is None
    assert reload(verifying_case).decision_due == due
    services.decide_extension(extension, user=other_head, approve=True)
    assert reload(verifying_case).decision_due == (
        periods.investigation_deadline(FILED_ON, extension_days=15).end
    )


def test_an_officer_cannot_approve_an_extension(
    verifying_case, refused, investigator, investigator2
):
    extension = services.request_extension(
        verifying_case, user=investigator, days=15, reason="案情复杂。"
    )
    assert "此事项须经监督机构负责人批准" in refused(
        services.decide_extension, extension, user=investigator2, approve=True
    )
    extension.refresh_from_db()
    assert extension.status == Extension.Status.PENDING


def test_approval_requests_share_one_rule(verifying_case, head, investigator):
    extension = services.request_extension(
        verifying_case, user=head, days=10, reason="涉及多部门"
    )
    with pytest.raises(services.CaseworkError, match="不能批准本人提出的延期申请"):
        services.decide_extension(extension, user=head, approve=True)
    with pytest.raises(services.CaseworkError, match="负责人批准"):
        services.decide_extension(extension, user=investigator, approve=True)
    extension.refresh_from_db()
    assert extension.status == extension.Status.PENDING
    assert extension.decided_by is None


# --- Review (Art. 19) ---------------------------------------------------------


def test_a_review_is_requested_within_fifteen_days(
    notified_case, clock, refused, db_snapshot, investigator
):
    received = notified_case.notified_on
    last_day = periods.review_request_deadline(received).end
    # Today is past the window, so the late request is refused for that only.
    clock.set(last_day + datetime.timedelta(days=1))
    before = db_snapshot()
    message = refused(
        services.request_review,
        notified_case,
        user=investigator,
        applicant="李四",
        decision_received_on=received,
        requested_on=last_day + datetime.timedelta(days=1),
        grounds="不服认定。",
    )
    assert "复核申请应当在收到认定决定之日起15日内提出" in message
    assert f"截止{last_day.year}年{last_day.month}月{last_day.day}日" in message
    assert not Review.objects.exists()
    assert db_snapshot() == before

    review = services.request_review(
        notified_case,
        user=investigator,
        applicant="李四",
        decision_received_on=received,
        requested_on=last_day,
        grounds="不服认定。",
    )
    assert review.decision_due == periods.review_decision_deadline(last_day).end
    assert "已有待决的复核申请" in refused(
        services.request_review,
        notified_case,
        user=investigator,
        applicant="张三",
        decision_received_on=received,
        requested_on=last_day,
        grounds="另一申请。",
    )


def test_a_pending_review_blocks_archiving(notified_case, clock, refused, investigator):
    clock.set(notified_case.notified_on + datetime.timedelta(days=3))
    services.request_review(
        notified_case,
        user=investigator,
        applicant="李四",
        decision_received_on=notified_case.notified_on,
        requested_on=notified_case.notified_on + datetime.timedelta(days=3),
        grounds="不服认定。",
    )
    clock.set(D(2025, 12, 1))
    assert "复核申请尚未作出复核决定，复核决定应当作出（第十九条）" in refused(
        services.transition, notified_case, Stage.ARCHIVED, user=investigator
    )


def test_a_changed_review_reopens_the_determination(
    notified_case, clock, refused, reviewer, investigator, liaison, head
):
    clock.set(D(2025, 10, 9))
    review = services.request_review(
        notified_case,
        user=investigator,
        applicant="李四",
        decision_received_on=notified_case.notified_on,
        requested_on=D(2025, 10, 9),
        grounds="不服不予容错的认定。",
    )
    assert "只有复核人员" in refused(
        services.decide_review,
        review,
        user=liaison,
        result=Review.Result.CHANGED,
        reasons="理由。",
    )
    clock.set(D(2025, 10, 20))
    services.decide_review(
        review,
        user=reviewer,
        result=Review.Result.CHANGED,
        reasons="当事人积极配合调查，应从轻。",
    )
    review.refresh_from_db()
    assert (review.result, review.decided_on, review.decided_by) == (
        Review.Result.CHANGED,
        D(2025, 10, 20),
        reviewer,
    )
    case = reload(notified_case)
    assert case.stage == Stage.DETERMINED
    assert case.decided_on is None
    assert case.notified_on is None
    assert case.notification_due is None
    change = case.stage_changes.last()
    assert (change.from_stage, change.to_stage) == (Stage.NOTIFIED, Stage.DETERMINED)
    assert change.note.startswith("复核变更")
    assert change.created_by == reviewer
    assert "已作出决定" in refused(
        services.decide_review,
        review,
        user=reviewer,
        result=Review.Result.UPHELD,
        reasons="再次。",
    )

    # Determined again, decided and served again. Lighter liability is still
    # liability: it goes to the error-liability procedure too (Art. 18).
    assert "应当依照行政执法过错责任追究程序追究过错责任" in refused(
        services.determine,
        links(case)["李四"],
        user=investigator,
        outcome=Outcome.MITIGATION_LIGHTER,
        basis=["11(2)", "12(1)"],
        facts="积极配合调查并主动承担责任。",
        liability_referred_to="",
        **DISTINCTIONS,
    )
    redetermined = services.determine(
        links(case)["李四"],
        user=investigator,
        outcome=Outcome.MITIGATION_LIGHTER,
        basis=["11(2)", "12(1)"],
        facts="积极配合调查并主动承担责任。",
        liability_referred_to="历城区行政执法过错责任追究工作组",
        **DISTINCTIONS,
    )
    assert (redetermined.decided_on, redetermined.liability_referred_on) == (
        D(2025, 10, 20),
        D(2025, 10, 20),
    )
    # The reopened round needs every person determined again before the new
    # decision: 张三's earlier determination belongs to the revoked decision.
    assert "尚有1名被调查人未作出认定" in refused(
        services.transition, case, Stage.NOTIFIED, user=head
    )
    determine_exempt(links(case)["张三"], investigator, decided_on=D(2025, 10, 20))
    clock.set(D(2025, 10, 22))
    case = services.transition(case, Stage.NOTIFIED, user=head)
    assert case.decided_on == D(2025, 10, 22)
    assert case.decision_round == 2
    # Archiving wants this round's decision notice and service, not the old.
    assert "行政执法监督决定书" in services.archive_missing(case)
    assert "送达记录" in services.archive_missing(case)
    assert (
        reload(case).notification_due
        == periods.notification_deadline(D(2025, 10, 22)).end
    )


def test_an_upheld_review_keeps_the_decision(
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
    services.decide_review(
        review, user=reviewer, result=Review.Result.UPHELD, reasons="认定正确。"
    )
    case = reload(notified_case)
    assert case.stage == Stage.NOTIFIED
    assert case.decided_on == notified_case.decided_on


# --- Filing -------------------------------------------------------------------


def test_a_refused_filing_saves_nothing(
    make_case, refused, db_snapshot, officer_a, other_agency
):
    stranger = OfficerFactory(name="王五", agency=other_agency)
    before = db_snapshot()
    message = refused(
        make_case,
        officers=[(officer_a, ErrorType.EVIDENCE), (stranger, ErrorType.OTHER)],
    )
    assert "被调查人应属于本案的执法机关" in message
    assert db_snapshot() == before
    assert not CaseOfficer.objects.exists()
    # The number was not used up.
    assert make_case().number == "历城执监〔2025〕第1号"


def test_the_same_officer_is_concerned_once(case, refused, investigator, officer_a):
    assert "已是本案被调查人" in refused(
        services.add_officer,
        case,
        officer_a,
        error_type=ErrorType.OTHER,
        user=investigator,
    )
    assert case.case_officers.count() == 2


def test_only_officers_are_assigned_as_investigators(case, refused, head, liaison):
    assert "只能指派监督机构工作人员" in refused(
        services.assign_investigator, case, liaison, user=head
    )
    staff = SupervisionOfficerFactory(roles=[])
    assert "只能指派监督机构工作人员" in refused(
        services.assign_investigator, case, staff, user=head
    )
    assert not case.assignments.exists()


def test_a_liaison_cannot_file(make_case, refused, agency):
    liaison = LiaisonFactory(agency=agency)
    assert "只有监督机构工作人员" in refused(make_case, user=liaison)
    assert not SupervisionCase.objects.exists()


# --- Records are never deleted ------------------------------------------------


def test_a_case_cannot_be_deleted(ready_case):
    with pytest.raises(CaseRecordError, match="案件材料不得删除"):
        ready_case.delete()
    with pytest.raises(CaseRecordError):
        SupervisionCase.objects.all().delete()
    with pytest.raises(CaseRecordError):
        SupervisionCase.objects.filter(pk=ready_case.pk).delete()
    with pytest.raises(CaseRecordError):
        ready_case.case_officers.first().delete()
    with pytest.raises(CaseRecordError):
        ready_case.assignments.all().delete()
    assert SupervisionCase.objects.filter(pk=ready_case.pk).exists()
    assert ready_case.assignments.count() == 2


# --- Every date lies between the filing and today (Art. 13-19) ----------------

TODAY = D(2025, 9, 10)
"""Today in the date tests on ``verifying_case`` (filed on FILED_ON)."""

AFTER_TODAY = TODAY + datetime.timedelta(days=1)
BEFORE_FILING = FILED_ON - datetime.timedelta(days=1)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"kind": Activity.Kind.INQUIRY, "occurred_on": AFTER_TODAY},
            "调查日期不能晚于今天。",
        ),
        (
            {"kind": Activity.Kind.INQUIRY, "occurred_on": BEFORE_FILING},
            "调查日期不能早于立案日期。",
        ),
        (
            {
                "kind": Activity.Kind.APPRAISAL,
                "occurred_on": D(2025, 9, 5),
                "appraisal_started_on": AFTER_TODAY,
            },
            "委托日期不能晚于今天。",
        ),
        (
            {
                "kind": Activity.Kind.APPRAISAL,
                "occurred_on": D(2025, 9, 5),
                "appraisal_started_on": BEFORE_FILING,
            },
            "委托日期不能早于立案日期。",
        ),
        (
            {
                "kind": Activity.Kind.APPRAISAL,
                "occurred_on": D(2025, 9, 5),
                "appraisal_started_on": D(2025, 9, 5),
                "appraisal_ended_on": AFTER_TODAY,
            },
            "收到鉴定报告日期不能晚于今天。",
        ),
    ],
    ids=[
        "occurred-tomorrow",
        "occurred-before-filing",
        "appraisal-started-tomorrow",
        "appraisal-started-before-filing",
        "appraisal-report-tomorrow",
    ],
)
def test_an_activity_is_dated_between_filing_and_today(
    verifying_case, clock, refused, db_snapshot, investigator, fields, message
):
    clock.set(TODAY)
    before = db_snapshot()
    assert (
        refused(
            services.record_activity,
            verifying_case,
            user=investigator,
            summary="调查。",
            **fields,
        )
        == message
    )
    assert db_snapshot() == before


def test_an_activity_may_fall_on_the_filing_day_or_today(
    verifying_case, clock, investigator
):
    clock.set(TODAY)
    for day in (FILED_ON, TODAY):
        services.record_activity(
            verifying_case,
            user=investigator,
            kind=Activity.Kind.APPRAISAL,
            occurred_on=day,
            summary="委托检测。",
            appraisal_started_on=day,
            appraisal_ended_on=TODAY,
        )
    assert verifying_case.activities.count() == 2


def test_an_appraisal_report_is_not_received_in_the_future(
    verifying_case, clock, refused, db_snapshot, investigator
):
    clock.set(TODAY)
    appraisal = services.record_activity(
        verifying_case,
        user=investigator,
        kind=Activity.Kind.APPRAISAL,
        occurred_on=D(2025, 9, 4),
        summary="委托检测。",
        appraisal_started_on=D(2025, 9, 4),
    )
    before = db_snapshot()
    assert (
        refused(
            services.finish_appraisal,
            appraisal,
            user=investigator,
            ended_on=AFTER_TODAY,
        )
        == "收到鉴定报告日期不能晚于今天。"
    )
    assert db_snapshot() == before
    appraisal.refresh_from_db()
    assert appraisal.appraisal_ended_on is None


@pytest.mark.parametrize(
    ("heard_on", "message"),
    [
        (AFTER_TODAY, "听取日期不能晚于今天。"),
        (BEFORE_FILING, "听取日期不能早于立案日期。"),
    ],
    ids=["tomorrow", "before-filing"],
)
def test_a_statement_is_heard_between_filing_and_today(
    verifying_case, clock, refused, db_snapshot, investigator, heard_on, message
):
    clock.set(TODAY)
    link = verifying_case.case_officers.first()
    before = db_snapshot()
    assert (
        refused(
            services.record_statement,
            link,
            user=investigator,
            heard_on=heard_on,
            content="陈述。",
        )
        == message
    )
    assert db_snapshot() == before


@pytest.mark.parametrize(
    ("decided_on", "message"),
    [
        (DETERMINED_ON + datetime.timedelta(days=1), "认定日期不能晚于今天。"),
        (BEFORE_FILING, "认定日期不能早于立案日期。"),
    ],
    ids=["tomorrow", "before-filing"],
)
def test_a_determination_is_dated_between_filing_and_today(
    determined_case, refused, db_snapshot, investigator, decided_on, message
):
    # determined_case: today is DETERMINED_ON.
    before = db_snapshot()
    assert (
        refused(
            determine_exempt,
            links(determined_case)["张三"],
            investigator,
            decided_on=decided_on,
        )
        == message
    )
    assert db_snapshot() == before
    assert not Determination.objects.exists()


def test_a_determination_is_dated_today_by_default(
    determined_case, clock, investigator
):
    clock.set(D(2025, 9, 23))
    determination = services.determine(
        links(determined_case)["张三"],
        user=investigator,
        outcome=Outcome.EXEMPT,
        basis=["10(2)"],
        facts="事实。",
        **DISTINCTIONS,
    )
    assert determination.decided_on == D(2025, 9, 23)


def test_a_decision_is_served_between_its_date_and_today(
    notified_case, clock, refused, db_snapshot, investigator
):
    # notified_case: decided on DECIDED_ON, served and today on SERVED_ON.
    serve = partial(
        services.record_notification,
        notified_case,
        user=investigator,
        recipient="李四",
        is_party=True,
        method=Notification.Method.POST,
    )
    before = db_snapshot()
    assert (
        refused(serve, served_on=SERVED_ON + datetime.timedelta(days=1))
        == "送达日期不能晚于今天。"
    )
    assert (
        refused(serve, served_on=DECIDED_ON - datetime.timedelta(days=1))
        == "送达日期不能早于决定日期。"
    )
    assert db_snapshot() == before
    # On the decision day itself it may be served; the latest service counts.
    serve(served_on=DECIDED_ON)
    assert reload(notified_case).notified_on == SERVED_ON
    assert notified_case.notifications.count() == 2


@pytest.mark.parametrize(
    "call",
    ["joint", "transfer", "hearing_held", "review_decided", "progress", "verify"],
)
def test_remaining_recorded_dates_are_checked(
    call,
    make_case,
    notified_case,
    head,
    investigator,
    liaison,
    clock,
    refused,
    db_snapshot,
):
    # A second, freshly filed case for the investigation-stage writes.
    case = make_case(title="新立案件")
    future = clock() + datetime.timedelta(days=1)
    before = None
    if call == "joint":
        before = db_snapshot()
        message = refused(
            services.set_joint_investigation,
            case,
            user=investigator,
            counterpart="区纪委监委",
            since=future,
        )
        assert "联合调查开始日期不能晚于今天" in message
    elif call == "transfer":
        before = db_snapshot()
        message = refused(
            services.transfer_to_agency,
            case,
            user=investigator,
            reason="由机关自查",
            received_on=FILED_ON - datetime.timedelta(days=1),
        )
        assert "执法机关接收日期不能早于立案日期" in message
    elif call == "hearing_held":
        case.is_major_complex = True
        case.save()
        services.transition(case, Stage.VERIFYING, user=investigator)
        hearing = services.schedule_hearing(
            case,
            user=head,
            scheduled_on=future,
            host_name="钱律师",
            host_legal_qualification="法律职业资格",
            host_professional_qualification="食品安全",
        )
        before = db_snapshot()
        message = refused(
            services.record_hearing,
            hearing,
            user=investigator,
            held_on=future,
            minutes="听证笔录",
        )
        assert "听证举行日期不能晚于今天" in message
    elif call == "review_decided":
        review = services.request_review(
            notified_case,
            user=investigator,
            applicant="李四",
            decision_received_on=notified_case.decided_on,
            requested_on=clock(),
            grounds="不服",
        )
        before = db_snapshot()
        message = refused(
            services.decide_review,
            review,
            user=head,
            result="upheld",
            reasons="事实清楚",
            decided_on=review.requested_on - datetime.timedelta(days=1),
        )
        assert "复核决定日期应在申请日期之后" in message
    elif call in ("progress", "verify"):
        correction = services.order_correction(
            notified_case,
            user=investigator,
            reasons="程序瑕疵",
            items="补正告知",
            requirements="完善制度",
            deadline=clock() + datetime.timedelta(days=30),
        )
        if call == "progress":
            before = db_snapshot()
            message = refused(
                services.report_correction_progress,
                correction,
                user=liaison,
                reported_on=future,
                content="已整改",
                completed=True,
            )
            assert "报告日期不能晚于今天" in message
        else:
            services.report_correction_progress(
                correction,
                user=liaison,
                reported_on=clock(),
                content="已整改",
                completed=True,
            )
            before = db_snapshot()
            message = refused(
                services.verify_correction,
                correction,
                user=investigator,
                verified_on=future,
            )
            assert "核验日期不能晚于今天" in message
    assert db_snapshot() == before


# --- The decision date (Art. 17) ----------------------------------------------


def test_the_decision_follows_the_last_determination_and_is_not_in_the_future(
    determined_case, clock, refused, db_snapshot, investigator, head
):
    by_name = links(determined_case)
    determine_exempt(by_name["张三"], investigator, decided_on=D(2025, 9, 18))
    determine_no_tolerance(by_name["李四"], investigator, decided_on=DETERMINED_ON)
    clock.set(DECIDED_ON)
    decide = partial(services.transition, determined_case, Stage.NOTIFIED, user=head)
    before = db_snapshot()
    assert (
        refused(decide, decided_on=DETERMINED_ON - datetime.timedelta(days=1))
        == "决定日期不能早于最后一项认定的日期。"
    )
    assert (
        refused(decide, decided_on=DECIDED_ON + datetime.timedelta(days=1))
        == "决定日期不能晚于今天。"
    )
    assert refused(decide, decided_on=BEFORE_FILING) == "决定日期不能早于立案日期。"
    assert db_snapshot() == before
    assert not StageChange.objects.filter(to_stage=Stage.NOTIFIED).exists()

    # The day of the last determination will do; the 7 days to notify run
    # from the decision date given, not from today.
    case = decide(decided_on=DETERMINED_ON)
    assert (case.stage, case.decided_on) == (Stage.NOTIFIED, DETERMINED_ON)
    assert reload(case).notification_due == (
        periods.notification_deadline(DETERMINED_ON).end
    )


def test_the_decision_is_dated_today_by_default(
    determined_case, clock, investigator, head
):
    by_name = links(determined_case)
    determine_exempt(by_name["张三"], investigator)
    determine_no_tolerance(by_name["李四"], investigator)
    clock.set(DECIDED_ON)
    case = services.transition(determined_case, Stage.NOTIFIED, user=head)
    assert case.decided_on == DECIDED_ON


# --- Every outcome short of exemption goes to the liability procedure (Art. 18)

ERROR_OUTCOMES = {
    Outcome.NO_TOLERANCE: ["12(1)"],
    Outcome.LIGHTER: ["10(7)"],
    Outcome.REDUCED: ["10(7)"],
    Outcome.MITIGATION_LIGHTER: ["11(2)"],
    Outcome.MITIGATION_REDUCED: ["11(2)", "12(1)"],
}
"""Each outcome that counts as an error, with a basis it may rest on."""

REFERRAL = "历城区行政执法过错责任追究工作组"


def test_the_error_outcomes_are_every_outcome_but_two():
    assert set(ERROR_OUTCOMES) == {o for o in Outcome if is_error(o)}
    assert set(Outcome) - set(ERROR_OUTCOMES) == {
        Outcome.DUTY_FULFILLED,
        Outcome.EXEMPT,
    }


@pytest.mark.parametrize("outcome", list(ERROR_OUTCOMES))
def test_every_error_outcome_names_where_liability_goes(
    determined_case, refused, db_snapshot, investigator, outcome
):
    determine = partial(
        services.determine,
        links(determined_case)["李四"],
        user=investigator,
        outcome=outcome,
        basis=ERROR_OUTCOMES[outcome],
        facts="事实。",
        **DISTINCTIONS,
    )
    before = db_snapshot()
    # Art. 18 for no tolerance; 从轻/减轻 are "不予容错免责" by the reading
    # exemption_meaning, and say so.
    source = (
        "（第十八条）。"
        if outcome == Outcome.NO_TOLERANCE
        else "（本机构理解：“容错免责”指予以免责"
    )
    message = refused(determine, liability_referred_to="  ")
    assert message.startswith(
        "不予容错免责的（包括从轻、减轻），应当依照行政执法过错责任追究程序"
        "追究过错责任，请填写移送对象"
    )
    assert source in message
    assert db_snapshot() == before
    assert not Determination.objects.exists()

    determination = determine(liability_referred_to=REFERRAL)
    assert determination.counts_as_error is True
    assert (
        determination.liability_referred_to,
        determination.liability_referred_on,
    ) == (REFERRAL, DETERMINED_ON)


@pytest.mark.parametrize(
    ("outcome", "basis"),
    [(Outcome.EXEMPT, ["10(2)"]), (Outcome.DUTY_FULFILLED, ["9(1)"])],
)
def test_no_referral_is_stored_without_an_error(
    determined_case, investigator, outcome, basis
):
    determination = services.determine(
        links(determined_case)["张三"],
        user=investigator,
        outcome=outcome,
        basis=basis,
        facts="事实。",
        liability_referred_to=REFERRAL,  # given by mistake: not an error
        **DISTINCTIONS,
    )
    assert determination.counts_as_error is False
    assert determination.liability_referred_to == ""
    assert determination.liability_referred_on is None


# --- Review requests and the review window (Art. 19) ---------------------------


def test_a_review_request_follows_the_decision_and_is_not_in_the_future(
    notified_case, refused, db_snapshot, investigator
):
    # notified_case: decided on DECIDED_ON, served and today on SERVED_ON.
    request = partial(
        services.request_review,
        notified_case,
        user=investigator,
        applicant="李四",
        grounds="不服认定。",
    )
    day = datetime.timedelta(days=1)
    before = db_snapshot()
    assert (
        refused(request, decision_received_on=DECIDED_ON - day, requested_on=SERVED_ON)
        == "收到认定决定的日期不能早于决定日期。"
    )
    order = "复核申请日期应在收到认定决定之后、且不晚于今天。"
    assert (
        refused(request, decision_received_on=SERVED_ON, requested_on=DECIDED_ON)
        == order
    )
    assert (
        refused(request, decision_received_on=SERVED_ON, requested_on=SERVED_ON + day)
        == order
    )
    assert db_snapshot() == before
    assert not Review.objects.exists()
    # Received on the decision day, requested today.
    review = request(decision_received_on=DECIDED_ON, requested_on=SERVED_ON)
    assert review.decision_due == periods.review_decision_deadline(SERVED_ON).end


def test_the_review_window_runs_fifteen_days_from_service(
    notified_case, clock, refused, db_snapshot, investigator
):
    case = notified_case
    last_day = periods.review_request_deadline(case.notified_on).end
    assert services.case_facts(case).review_window_open
    clock.set(last_day)
    assert services.case_facts(case).review_window_open
    before = db_snapshot()
    assert "复核申请期限尚未届满，届满后方可归档（依本机构工作规则" in refused(
        services.transition, case, Stage.ARCHIVED, user=investigator
    )
    assert db_snapshot() == before
    clock.set(last_day + datetime.timedelta(days=1))
    assert not services.case_facts(case).review_window_open


def test_a_review_request_closes_the_window(notified_case, clock, investigator):
    assert services.case_facts(notified_case).review_window_open
    clock.set(D(2025, 9, 29))
    services.request_review(
        notified_case,
        user=investigator,
        applicant="李四",
        decision_received_on=notified_case.notified_on,
        requested_on=D(2025, 9, 29),
        grounds="不服认定。",
    )
    facts = services.case_facts(reload(notified_case))
    assert (facts.review_window_open, facts.review_pending) == (False, True)


def test_a_decision_made_again_after_a_changed_review_opens_a_new_window(
    notified_case, clock, refused, db_snapshot, reviewer, investigator, head
):
    clock.set(D(2025, 10, 9))
    review = services.request_review(
        notified_case,
        user=investigator,
        applicant="李四",
        decision_received_on=notified_case.notified_on,
        requested_on=D(2025, 10, 9),
        grounds="不服不予容错的认定。",
    )
    clock.set(D(2025, 10, 20))
    services.decide_review(
        review, user=reviewer, result=Review.Result.CHANGED, reasons="应减轻。"
    )
    case = reload(notified_case)
    assert case.stage == Stage.DETERMINED
    assert not services.case_facts(case).review_window_open  # nothing served

    services.determine(
        links(case)["李四"],
        user=investigator,
        outcome=Outcome.MITIGATION_REDUCED,
        basis=["11(2)", "12(1)"],
        facts="积极配合调查。",
        liability_referred_to=REFERRAL,
        **DISTINCTIONS,
    )
    determine_exempt(links(case)["张三"], investigator, decided_on=D(2025, 10, 20))
    clock.set(D(2025, 10, 22))
    case = services.transition(case, Stage.NOTIFIED, user=head)
    clock.set(D(2025, 10, 23))
    services.record_notification(
        case,
        user=investigator,
        recipient="李四",
        is_party=True,
        method=Notification.Method.IN_PERSON,
        served_on=D(2025, 10, 23),
    )
    CaseDocument.objects.create(
        case=case,
        kind=CaseDocument.Kind.DECISION_NOTICE,
        year=2025,
        sequence=2,
        number="历城执监决〔2025〕2号",
        file=ContentFile(b"notice", name="decision.txt"),
        round=case.decision_round,
    )
    services.record_act_finding(
        case, user=investigator, finding="lawful", reasons="执法行为合法适当。"
    )
    case = reload(case)
    # The request of 10-09 was against the first decision: the new one may be
    # reviewed in its own 15 days from service, so the case cannot close yet.
    assert services.case_facts(case).review_window_open
    before = db_snapshot()
    assert (
        refused(services.transition, case, Stage.ARCHIVED, user=investigator)
        == "收到认定决定之日起15日的复核申请期限尚未届满，届满后方可归档"
        "（依本机构工作规则：复核申请期限届满后方可归档）。"
    )
    assert db_snapshot() == before

    new_last_day = periods.review_request_deadline(D(2025, 10, 23)).end
    clock.set(new_last_day + datetime.timedelta(days=1))
    assert not services.case_facts(case).review_window_open
    assert (
        services.transition(case, Stage.ARCHIVED, user=investigator).stage
        == Stage.ARCHIVED
    )


# --- Correction (Art. 20) ----------------------------------------------------


def test_correction_extension_requests_are_guarded(
    notified_case, investigator, liaison, head, clock, refused
):
    correction = services.order_correction(
        notified_case,
        user=investigator,
        reasons="程序瑕疵",
        items="补正",
        requirements="完善制度",
        deadline=clock() + datetime.timedelta(days=20),
    )
    first = services.request_correction_extension(
        correction,
        user=liaison,
        requested_deadline=correction.deadline + datetime.timedelta(days=10),
        reason="涉及多个科室",
    )
    assert "已有待批准" in refused(
        services.request_correction_extension,
        correction,
        user=liaison,
        requested_deadline=correction.deadline + datetime.timedelta(days=5),
        reason="再次申请",
    )
    services.decide_correction_extension(first, user=head, approve=True)
    correction.refresh_from_db()
    assert correction.deadline == first.requested_deadline


# --- Paused days (Art. 16) -----------------------------------------------------


def appraisal(case, user, started_on, ended_on=None):
    return services.record_activity(
        case,
        user=user,
        kind=Activity.Kind.APPRAISAL,
        occurred_on=started_on,
        summary="委托检测。",
        appraisal_started_on=started_on,
        appraisal_ended_on=ended_on,
    )


def test_overlapping_appraisals_pause_the_clock_once(
    verifying_case, clock, investigator
):
    clock.set(D(2025, 9, 20))
    appraisal(verifying_case, investigator, D(2025, 9, 4), D(2025, 9, 10))  # 6
    appraisal(verifying_case, investigator, D(2025, 9, 8), D(2025, 9, 14))  # +4
    appraisal(verifying_case, investigator, D(2025, 9, 5), D(2025, 9, 9))  # inside
    assert services.paused_days(verifying_case) == 10
    assert reload(verifying_case).decision_due == (
        periods.investigation_deadline(FILED_ON, paused_days=10).end
    )


def test_an_unfinished_appraisal_pauses_the_clock_until_today(
    verifying_case, clock, refused, db_snapshot, investigator
):
    clock.set(D(2025, 9, 20))
    appraisal(verifying_case, investigator, D(2025, 9, 4), D(2025, 9, 10))  # 6
    running = appraisal(verifying_case, investigator, D(2025, 9, 16))  # +4 so far
    assert services.paused_days(verifying_case) == 10
    clock.set(D(2025, 9, 22))
    assert services.paused_days(verifying_case) == 12

    # The pause cannot be fixed in advance with a report date still to come.
    before = db_snapshot()
    assert (
        refused(
            services.finish_appraisal,
            running,
            user=investigator,
            ended_on=D(2025, 9, 30),
        )
        == "收到鉴定报告日期不能晚于今天。"
    )
    assert (
        refused(
            appraisal,
            verifying_case,
            investigator,
            D(2025, 9, 18),
            D(2025, 9, 30),
        )
        == "收到鉴定报告日期不能晚于今天。"
    )
    assert db_snapshot() == before

    services.finish_appraisal(running, user=investigator, ended_on=D(2025, 9, 22))
    clock.set(D(2025, 9, 30))
    assert services.paused_days(verifying_case) == 12
    assert reload(verifying_case).decision_due == (
        periods.investigation_deadline(FILED_ON, paused_days=12).end
    )
