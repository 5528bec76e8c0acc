"""History records who acted; the case chooser obeys visibility; the office's
holiday days move deadlines; every remaining recorded date is checked."""

import datetime

import pytest
from django.urls import reverse

from casework import services
from casework.calendar import holiday_calendar
from casework.models import CalendarDay, Recusal, SupervisionCase
from casework.models.reference import CalendarYear
from casework.rules import periods
from casework.rules.stages import Stage
from tests.testkit.factories import FILED_ON

pytestmark = pytest.mark.django_db
D = datetime.date


def test_history_records_the_acting_user_without_a_request(case, investigator):
    record = case.history.order_by("history_date").first()
    assert record.history_user == investigator
    link = case.case_officers.first()
    assert link.history.first().history_user == investigator


def test_history_records_the_request_user_in_the_admin(
    client, verifying_case, investigator, clock
):
    client.force_login(investigator)
    clock.set(D(2025, 9, 3))
    url = reverse("casework_case:action", args=[verifying_case.pk, "activity"])
    response = client.post(
        url,
        {"kind": "inquiry", "occurred_on": "2025-09-03", "summary": "询问当事人"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    activity = verifying_case.activities.get()
    assert activity.history.get().history_user == investigator


def test_case_chooser_lists_only_visible_cases(
    client, case, make_case, other_agency, liaison, head
):
    from casework.models import ErrorType
    from tests.testkit.factories import OfficerFactory

    other = make_case(
        agency=other_agency,
        officers=[(OfficerFactory(agency=other_agency), ErrorType.OTHER)],
        title="另一机关的案件",
    )
    client.force_login(liaison)
    html = client.get(reverse("casework_case_chooser:choose")).json()["html"]
    assert case.number in html
    assert other.number not in html
    # A direct id of an invisible case is not handed out either.
    chosen = client.get(reverse("casework_case_chooser:chosen", args=[other.pk]))
    assert chosen.status_code == 404
    assert (
        client.get(reverse("casework_case_chooser:chosen", args=[case.pk])).status_code
        == 200
    )
    client.force_login(head)
    html = client.get(
        reverse("casework_case_chooser:choose_results"), {"q": "另一机关"}
    ).content.decode()
    assert "历城执监" in html
    assert other.number in html
    assert case.number not in html


def test_case_chooser_hides_a_case_from_the_recused(client, case, head, investigator):
    recusal = services.request_recusal(
        case,
        investigator,
        user=investigator,
        kind=Recusal.Kind.DECLARED,
        reason="与被调查人系同学",
    )
    services.decide_recusal(recusal, user=head, approve=True)
    client.force_login(investigator)
    html = client.get(reverse("casework_case_chooser:choose")).json()["html"]
    assert case.number not in html


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


def test_chooser_multiple_and_bad_ids_do_not_leak_or_crash(
    client, case, make_case, other_agency, other_liaison, head
):
    client.force_login(other_liaison)
    url = reverse("casework_case_chooser:chosen_multiple")
    response = client.get(url, {"id": [case.pk]})
    assert case.number not in response.content.decode()
    assert case.title not in response.content.decode()
    assert client.get(url, {"id": ["abc"]}).status_code == 404
    assert (
        client.get(reverse("casework_case_chooser:chosen", args=["abc"])).status_code
        == 404
    )
    # Staff choose a visible case: the response links to the case page.
    client.force_login(head)
    chosen = client.get(reverse("casework_case_chooser:chosen", args=[case.pk]))
    assert chosen.status_code == 200
    assert reverse("casework_case:detail", args=[case.pk]) in chosen.content.decode()


def test_overlong_input_is_a_form_error_not_a_server_error(
    client, verifying_case, investigator, clock
):
    client.force_login(investigator)
    clock.set(D(2025, 9, 3))
    url = reverse("casework_case:action", args=[verifying_case.pk, "activity"])
    response = client.post(
        url,
        {
            "kind": "appraisal",
            "occurred_on": "2025-09-03",
            "summary": "委托检测",
            "appraisal_body": "检" * 150,
            "appraisal_started_on": "2025-09-03",
        },
    )
    assert response.status_code == 400
    assert "检" * 150 in response.content.decode()  # what was typed is kept
    assert verifying_case.activities.count() == 0


def test_liaison_gets_documents_only_once_the_decision_is_served(
    client, determined_case, investigator, liaison, clock, head
):
    from casework.documents import generate_document
    from casework.models import CaseDocument

    case = SupervisionCase.objects.get(pk=determined_case.pk)
    officers = list(case.case_officers.all())
    from tests.testkit.factories import determine_exempt

    for link in officers:
        determine_exempt(link, investigator)
    draft = generate_document(
        case, CaseDocument.Kind.DECISION_NOTICE, user=investigator
    )
    client.force_login(liaison)
    detail = reverse("casework_case:detail", args=[case.pk])
    assert draft.number not in client.get(detail).content.decode()
    download = detail + f"documents/{draft.pk}/"
    assert client.get(download).status_code == 404
    services.transition(case, Stage.NOTIFIED, user=head)
    assert client.get(download).status_code == 200


def test_liaison_search_does_not_probe_the_hidden_summary(client, case, liaison):
    client.force_login(liaison)
    listing = "/admin/casework/cases/"
    secret_word = case.summary[2:6]
    assert case.number not in client.get(listing, {"q": secret_word}).content.decode()
    assert case.number in client.get(listing, {"q": case.title[:4]}).content.decode()
    # ...and the investigator filter is not offered to the agency.
    assert 'name="investigator"' not in client.get(listing).content.decode()


def test_a_reopened_case_gets_a_new_decision_period_not_an_old_overdue(
    notified_case, clock, reviewer, investigator
):
    from casework.models import Review

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


def test_timeline_shows_stage_changes_with_their_reason(client, verifying_case, head):
    client.force_login(head)
    html = client.get(
        reverse("casework_case:detail", args=[verifying_case.pk])
    ).content.decode()
    assert "立案 → 核实" in html


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

    from casework.models import ErrorType
    from casework.rules.articles import Outcome

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


def test_only_the_head_signs_the_decision(determined_case, investigator, head, refused):
    from tests.testkit.factories import determine_exempt

    for link in determined_case.case_officers.all():
        determine_exempt(link, investigator)
    assert "由负责人签发（依本机构工作规则" in refused(
        services.transition, determined_case, Stage.NOTIFIED, user=investigator
    )
    case = services.transition(determined_case, Stage.NOTIFIED, user=head)
    assert case.stage == Stage.NOTIFIED


def test_who_took_part_in_the_decision_does_not_review_it(
    notified_case, head, investigator, reviewer, clock, refused, db_snapshot
):
    review = services.request_review(
        notified_case,
        user=investigator,
        applicant="李四",
        decision_received_on=notified_case.decided_on,
        requested_on=clock(),
        grounds="不服",
    )
    before = db_snapshot()
    for conflicted in (head, investigator):  # signer; investigator and determiner
        message = refused(
            services.decide_review,
            review,
            user=conflicted,
            result="upheld",
            reasons="维持",
        )
        assert (
            "不作出复核决定（依本机构工作规则" in message or "只有复核人员" in message
        )
    assert db_snapshot() == before
    services.decide_review(review, user=reviewer, result="upheld", reasons="维持")
