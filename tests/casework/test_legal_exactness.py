"""Legal exactness (issue #13, part B): what the measure says is cited as the
article; what it leaves to the office is an office rule (a setting, with a
switch or a number); what it leaves open is a reading. Each test names the
article it is about."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from casework import documents, office_rules, reports, services, validity
from casework.models import (
    ActFinding,
    CaseDocument,
    ErrorType,
    MeasureValidity,
)
from casework.rules import periods
from casework.rules.articles import Outcome
from casework.rules.provenance import OFFICE_RULES, READINGS
from casework.rules.stages import Stage
from tests.testkit.factories import (
    DECIDED_ON,
    DISTINCTIONS,
    SERVED_ON,
    determine_exempt,
    reload,
)

D = datetime.date
REFERRAL = "历城区行政执法过错责任追究工作组"


def rules(settings, **values):
    """Set office rules for one test (the head's configuration)."""
    settings.CASEWORK_OFFICE_RULES = {**settings.CASEWORK_OFFICE_RULES, **values}


def links(case):
    return {link.officer.name: link for link in case.case_officers.all()}


# --- Office rules: who signs, approves and reviews (Art. 14, 16, 17, 19) --------


def test_art19_review_decider_independence_is_office_rule(
    notified_case, clock, refused, settings, head
):
    """Art. 19 says who may ask for a review and in what time, not who decides
    it: keeping the signer out is an office rule, labelled as such, and the
    office can switch it."""
    clock.set(D(2025, 9, 30))
    review = services.request_review(
        notified_case,
        user=head,
        applicant="李四",
        decision_received_on=SERVED_ON,
        requested_on=D(2025, 9, 30),
        grounds="认为认定过重。",
    )
    # The head signed the decision of notified_case.
    message = refused(
        services.decide_review, review, user=head, result="upheld", reasons="维持。"
    )
    assert "依本机构工作规则：复核决定人员与原调查、认定、签发人员分离" in message
    assert "第十九条" not in message
    rules(settings, review_decider_independent=False)
    decided = services.decide_review(
        review, user=head, result="upheld", reasons="事实清楚，维持。"
    )
    assert decided.result == "upheld"


def test_art14_art17_decision_signer_is_office_rule(
    determined_case, clock, refused, settings, investigator, officer_a, officer_b
):
    """Art. 14 and 17 name no signer of the decision."""
    by_name = links(determined_case)
    determine_exempt(by_name[officer_a.name], investigator)
    determine_exempt(by_name[officer_b.name], investigator)
    message = refused(
        services.transition, determined_case, Stage.NOTIFIED, user=investigator
    )
    assert message == (
        "行政执法监督决定由负责人签发（依本机构工作规则：行政执法监督决定由负责人签发）。"
    )
    rules(settings, decision_signed_by_head=False)
    clock.set(SERVED_ON)
    case = services.transition(
        determined_case, Stage.NOTIFIED, user=investigator, decided_on=DECIDED_ON
    )
    assert case.stage == Stage.NOTIFIED


def test_only_the_head_signs_the_decision(determined_case, investigator, head, refused):
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


def test_art14_hearing_and_art16_recusal_approval_are_office_rules(
    make_case, clock, refused, settings, head, investigator, investigator2
):
    case = make_case(is_major_complex=True)
    message = refused(
        services.schedule_hearing,
        case,
        user=investigator,
        scheduled_on=D(2025, 9, 15),
        host_name="吴某",
        host_legal_qualification="法律职业资格",
        host_professional_qualification="食品安全专业",
    )
    assert "依本机构工作规则：召开听证会由负责人批准" in message
    assert "第十四条" not in message
    recusal = services.request_recusal(
        case, investigator2, user=investigator2, kind="declared", reason="亲属。"
    )
    message = refused(services.decide_recusal, recusal, user=investigator, approve=True)
    assert "依本机构工作规则：调查人员回避由负责人决定" in message
    # Art. 17 does name the head for an extension: that one cites the article.
    extension = services.request_extension(
        case, user=investigator, days=10, reason="涉及多家执法主体，情况复杂。"
    )
    message = refused(
        services.decide_extension, extension, user=investigator2, approve=True
    )
    assert message == "此事项须经监督机构负责人批准（第十七条）。"
    # Switched off, an officer may approve the hearing.
    rules(settings, hearing_approved_by_head=False)
    hearing = services.schedule_hearing(
        case,
        user=investigator,
        scheduled_on=D(2025, 9, 15),
        host_name="吴某",
        host_legal_qualification="法律职业资格",
        host_professional_qualification="食品安全专业",
    )
    assert hearing.approved_by == investigator
    # Approving one's own request stays refused, by office rule.
    own = services.request_recusal(
        case, head, user=head, kind="declared", reason="本人曾参与原执法。"
    )
    message = refused(services.decide_recusal, own, user=head, approve=True)
    assert "依本机构工作规则：不得审批本人提出或涉及本人的申请" in message


def test_art19_archiving_in_the_review_window_is_office_rule(
    notified_case, clock, refused, settings, investigator
):
    """Art. 19 gives 15 days to ask for a review; waiting for them to pass
    before archiving is the office's rule."""
    services.record_act_finding(
        notified_case, user=investigator, finding="lawful", reasons="合法。"
    )
    CaseDocument.objects.create(
        case=notified_case,
        kind=CaseDocument.Kind.DECISION_NOTICE,
        year=2025,
        sequence=1,
        number="历城执监决〔2025〕1号",
        file=ContentFile(b"notice", name="decision.txt"),
    )
    message = refused(
        services.transition, notified_case, Stage.ARCHIVED, user=investigator
    )
    assert "依本机构工作规则：复核申请期限届满后方可归档" in message
    assert "第十九条" not in message
    rules(settings, archive_after_review_window=False)
    assert (
        services.transition(notified_case, Stage.ARCHIVED, user=investigator).stage
        == Stage.ARCHIVED
    )


def test_art19_period_after_reopening_is_office_rule_number(
    notified_case, clock, settings, head, reviewer
):
    """Art. 19 sets no period for deciding again after a review changed the
    result: the office's number of days (default 30) applies."""
    clock.set(D(2025, 9, 30))
    review = services.request_review(
        notified_case,
        user=head,
        applicant="李四",
        decision_received_on=SERVED_ON,
        requested_on=D(2025, 9, 30),
        grounds="认为认定过重。",
    )
    clock.set(D(2025, 10, 8))
    services.decide_review(review, user=reviewer, result="changed", reasons="变更。")
    case = reload(notified_case)
    assert case.reopened_on == D(2025, 10, 8)
    default = services.decision_deadline(case).end
    assert default == periods.period_end(D(2025, 10, 8), 30)
    rules(settings, reopened_decision_days=10)
    assert office_rules.value("reopened_decision_days") == 10
    assert services.decision_deadline(case).end == periods.period_end(
        D(2025, 10, 8), 10
    )


# --- Art. 12(5): a recorded finding, shown on the determination and notice -------


@pytest.fixture
def repeat_case(notified_case, make_case, clock, head, investigator, investigator2):
    """张三, exempted in notified_case (decided 2025-09-25), in a second case."""
    officer = links(notified_case)["张三"].officer
    later = make_case(
        title="同一人员再次出现同类问题",
        officers=[(officer, ErrorType.EVIDENCE)],
        filed_on=D(2025, 9, 26),
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
    return services.transition(later, Stage.DETERMINED, user=investigator)


def test_art12_5_finding_is_shown_on_the_determination_and_in_the_decision_notice(
    repeat_case, notified_case, client, investigator, head
):
    link = repeat_case.case_officers.get()
    determination = services.determine(
        link,
        user=investigator,
        outcome=Outcome.MITIGATION_LIGHTER,
        basis=["11(2)", "12(5)"],
        facts="免责后再次出现同样的证据问题，调查中主动承担责任。",
        repeat_finding="after_exemption",
        repeat_reasons="前案免责后，同一证据审查问题再次出现。",
        repeat_conduct_on=D(2025, 9, 27),
        liability_referred_to=REFERRAL,
        decided_on=D(2025, 9, 30),
        **DISTINCTIONS,
    )
    assert determination.counts_as_error is True
    record = documents.generate_document(
        repeat_case, CaseDocument.Kind.DECISION_NOTICE, user=investigator
    )
    import docx

    with record.file.open("rb") as handle:
        text = "\n".join(p.text for p in docx.Document(handle).paragraphs)
    assert f"该人员的既往认定：{notified_case.number}，免责，2025年9月20日认定" in text
    assert (
        "关于第十二条第（五）项：给予容错免责处理后再次出现同样失误、错误"
        "（本次失误发生于2025年9月27日）。理由：前案免责后，同一证据审查问题再次出现。"
    ) in text
    assert "并建议从轻追究责任" in text and "不予容错免责" in text
    assert "超越" not in text and "负责人决定仍予免责" not in text
    client.force_login(head)
    html = client.get(
        reverse("casework_case:detail", args=[repeat_case.pk])
    ).content.decode()
    assert "给予容错免责处理后再次出现同样失误、错误" in html
    assert notified_case.number in html


def test_art12_5_applies_whoever_decides_no_override(repeat_case, refused, head):
    link = repeat_case.case_officers.get()
    message = refused(
        determine_exempt,
        link,
        head,
        basis=("10(2)", "12(5)"),
        repeat_finding="same_problem",
        repeat_reasons="因主观原因在同一问题上重复出现失误。",
        decided_on=D(2025, 9, 30),
    )
    assert "不能认定为“免责”" in message
    with pytest.raises(TypeError):
        determine_exempt(link, head, override_reason="负责人决定免责")


# --- Art. 18: 容错免责 and the opinion letter for the act -------------------------


def test_art18_mitigation_is_liability_with_the_mitigation_recommended(
    determined_case, investigator
):
    determination = services.determine(
        links(determined_case)["李四"],
        user=investigator,
        outcome=Outcome.LIGHTER,
        basis=["10(7)"],
        facts="相对人隐瞒情况。",
        liability_referred_to=REFERRAL,
        **DISTINCTIONS,
    )
    assert determination.counts_as_error is True
    assert determination.liability_referred_to == REFERRAL
    sentence = documents.effect_sentence(determination)
    assert sentence.startswith(
        f"依据第十八条，不予容错免责，移送{REFERRAL.rstrip('。')}"
    )
    assert "依照行政执法过错责任追究程序追究行政执法过错责任" in sentence
    assert "建议从轻处理" in sentence and "本机构理解" in sentence


def test_art18_archiving_requires_the_act_finding_and_the_letter(
    notified_case, clock, refused, investigator
):
    CaseDocument.objects.create(
        case=notified_case,
        kind=CaseDocument.Kind.DECISION_NOTICE,
        year=2025,
        sequence=1,
        number="历城执监决〔2025〕1号",
        file=ContentFile(b"notice", name="decision.txt"),
    )
    clock.set(periods.review_request_deadline(SERVED_ON).end + datetime.timedelta(1))
    message = refused(
        services.transition, notified_case, Stage.ARCHIVED, user=investigator
    )
    assert "尚未认定被监督的行政执法行为是否违法或不当" in message
    services.record_act_finding(
        notified_case,
        user=investigator,
        finding=ActFinding.UNLAWFUL,
        reasons="未履行告知程序。",
    )
    message = refused(
        services.transition, notified_case, Stage.ARCHIVED, user=investigator
    )
    assert "应当制发《行政执法监督意见书》，尚未制发（第十八条）" in message
    documents.generate_document(
        notified_case, CaseDocument.Kind.OPINION_LETTER, user=investigator
    )
    case = services.transition(notified_case, Stage.ARCHIVED, user=investigator)
    assert case.is_archived
    assert case.act_finding == ActFinding.UNLAWFUL


def test_art18_act_finding_is_recorded_apart_from_the_outcomes(
    case, refused, investigator
):
    # Before any investigation the act cannot be found unlawful (Art. 18
    # "根据审查和调查情况").
    assert "审查和调查" in refused(
        services.record_act_finding,
        case,
        user=investigator,
        finding="unlawful",
        reasons="x",
    )
    assert "请选择" in refused(
        services.record_act_finding,
        case,
        user=investigator,
        finding="maybe",
        reasons="x",
    )


# --- Art. 24: the measure's validity as data; office rules around it -----------


def test_art24_validity_is_seeded_by_migration(db):
    (measure,) = MeasureValidity.objects.all()
    assert (measure.effective_from, measure.effective_until) == (
        D(2025, 3, 1),
        D(2027, 2, 28),
    )
    assert measure.document_number == "济历城政发〔2025〕1号"
    assert measure.basis.startswith("第二十四条")


def test_art24_filing_outside_validity_refused(make_case, clock, refused, settings):
    rules(settings, filing_within_validity=True)
    clock.set(D(2027, 3, 2))
    message = refused(make_case, filed_on=D(2027, 3, 1))
    assert message.startswith("立案日期2027年3月1日不在任何有效办法的施行期内")
    assert "有效期至2027年2月28日" in message
    assert message.endswith("（依本机构工作规则：立案日期须在有效办法的施行期内）。")
    assert "2025年2月28日" in refused(make_case, filed_on=D(2025, 2, 28))
    assert make_case(filed_on=D(2027, 2, 28)).filed_on == D(2027, 2, 28)
    # A notice extending the trial measure is entered as data when issued.
    MeasureValidity.objects.create(
        title="关于延长历城区行政执法履职尽责容错纠错实施办法（试行）有效期的通知",
        document_number="济历城政发〔2027〕1号",
        effective_from=D(2027, 3, 1),
        effective_until=D(2029, 2, 28),
        basis="延期通知",
    )
    assert make_case(filed_on=D(2027, 3, 1)).filed_on == D(2027, 3, 1)
    rules(settings, filing_within_validity=False)
    assert make_case(filed_on=D(2024, 12, 1)).filed_on == D(2024, 12, 1)


def test_art24_expiry_banner_from_sixty_days_and_open_cases_for_the_head(
    notified_case, client, head, investigator, settings
):
    assert validity.expiry_notice(D(2026, 12, 29)) is None  # 61 days before
    notice = validity.expiry_notice(D(2026, 12, 30))
    assert notice.days_left == 60 and notice.successor is None
    assert "将于2027年2月28日届满（还有60日）" in notice.text
    assert list(validity.open_cases_at_expiry(notice.measure, head)) == [notified_case]
    rules(settings, validity_warning_days=90)
    assert validity.expiry_notice(D(2026, 11, 30)) is not None
    # With a successor entered, the banner says what follows, and no banner
    # remains once the measure has expired.
    MeasureValidity.objects.create(
        title="历城区行政执法履职尽责容错纠错办法",
        document_number="济历城政发〔2027〕2号",
        effective_from=D(2027, 3, 1),
        basis="新办法第二十四条",
    )
    assert "届满后依《历城区行政执法履职尽责容错纠错办法》" in (
        validity.expiry_notice(D(2027, 2, 1)).text
    )
    assert validity.expiry_notice(D(2027, 3, 5)) is None


def test_art24_periodic_report_past_expiry_names_the_measure(db):
    assert reports.measure_note(D(2026, 1, 1), D(2026, 12, 31)) == ""
    note = reports.measure_note(D(2027, 1, 1), D(2027, 3, 31))
    assert note.startswith("说明（依本机构工作规则）：")
    assert "2027年3月1日起尚无登记施行的办法" in note
    MeasureValidity.objects.create(
        title="历城区行政执法履职尽责容错纠错办法",
        document_number="济历城政发〔2027〕2号",
        effective_from=D(2027, 3, 1),
        basis="新办法",
    )
    note = reports.measure_note(D(2027, 1, 1), D(2027, 3, 31))
    assert "2027年3月1日起的情况依《历城区行政执法履职尽责容错纠错办法》" in note


# --- The head's page: every office rule and reading, in one place ----------------


def test_office_rules_page_lists_every_rule_and_reading_for_the_head(
    client, head, investigator, settings
):
    url = reverse("casework_office_rules:index")
    client.force_login(investigator)
    refused_page = client.get(url)
    assert refused_page.status_code in (302, 403)
    assert "本机构理解" not in refused_page.content.decode()
    rules(settings, extension_requests_max=2)
    client.force_login(head)
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    for spec in OFFICE_RULES.values():
        assert f'id="rule-{spec.key}"' in html
        assert spec.reason in html
    for spec in READINGS.values():
        assert f'id="reading-{spec.key}"' in html
    assert "第二十三条" in html and "区司法局" in html
    assert "2（已调整）" in html
    assert "2027年2月28日" in html


def test_readme_lists_every_office_rule_and_reading():
    """The README's tables are the office's reference outside the admin: no
    rule or reading of the registry may be missing from them."""
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text("utf-8")
    missing = [key for key in (*OFFICE_RULES, *READINGS) if f"(`{key}`)" not in readme]
    assert missing == []
