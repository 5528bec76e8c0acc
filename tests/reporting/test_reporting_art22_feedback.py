"""Art. 22 feedback and clarification, as the measure and its readings say.

- The result a reporter is owed is the case's decision (Art. 17; reading
  report_result_is_decision): nothing is released before it.
- "经认定予以容错免责" only where an exemption was determined (reading
  exemption_meaning).
- Clarification clears an officer found maliciously slandered, falsely
  accused or maliciously hyped and defamed, whatever the report's outcome.
- The draft clarification says "查无实据" where that was the finding.
"""

import pytest

from casework.rules.articles import Outcome
from casework.rules.stages import Stage
from publishing import services as publishing
from reporting import rules, services
from reporting.models import Report
from reporting.services import ReportingError

STATUS_URL = "/report/status/"


def test_art22_feedback_only_after_decision(
    client, real_name_report, case, officer_user, head_user, decide_case
):
    services.attach_to_case(real_name_report, user=officer_user, case=case)
    feedback = "经认定，执法人员的行为符合容错免责情形，依规予以免责。"
    with pytest.raises(ReportingError) as refused:
        services.record_outcome(
            real_name_report,
            user=officer_user,
            outcome=Report.Outcome.EXEMPTED,
            feedback=feedback,
            release=True,
        )
    (message,) = refused.value.messages
    assert message.startswith(
        "案件尚未作出监督决定，核查结果尚不存在，不能向举报人反馈"
    )
    assert "本机构理解：信访举报的“结果”是案件的监督决定" in message
    real_name_report.refresh_from_db()
    assert real_name_report.feedback_released_at is None
    assert real_name_report.outcome == ""
    # A draft may be kept before the decision; it is not shown.
    services.record_outcome(
        real_name_report,
        user=officer_user,
        outcome=Report.Outcome.EXEMPTED,
        feedback=feedback,
    )
    client.post(STATUS_URL, {"code": real_name_report.code})
    assert "容错免责情形" not in client.get(STATUS_URL).content.decode()
    with pytest.raises(ReportingError):
        services.close_report(real_name_report, user=officer_user)

    decide_case(case, head_user, officer_user)
    services.record_outcome(
        real_name_report,
        user=officer_user,
        outcome=Report.Outcome.EXEMPTED,
        feedback=feedback,
        release=True,
    )
    assert "容错免责情形" in client.get(STATUS_URL).content.decode()
    services.close_report(real_name_report, user=officer_user)


def test_art22_exempted_only_where_an_exemption_was_determined(
    real_name_report, case, officer_user, head_user, decide_case
):
    """从轻处理 is not 容错免责 (reading exemption_meaning)."""
    services.attach_to_case(real_name_report, user=officer_user, case=case)
    decide_case(case, head_user, officer_user, outcome=Outcome.LIGHTER)
    with pytest.raises(ReportingError) as refused:
        services.record_outcome(
            real_name_report,
            user=officer_user,
            outcome=Report.Outcome.EXEMPTED,
            feedback="依规予以免责。",
        )
    assert refused.value.messages == [
        "本案没有予以免责的认定，不能以“经认定予以容错免责”反馈"
        "（本机构理解：“容错免责”指予以免责，见第十二条第（五）项、第十八条、"
        "第二十二条，以区司法局解释为准）。"
    ]
    services.record_outcome(
        real_name_report,
        user=officer_user,
        outcome=Report.Outcome.SUBSTANTIATED,
        feedback="举报反映的问题属实，已依照过错责任追究程序处理。",
        release=True,
    )


def test_art22_clarification_whatever_the_report_outcome(
    real_name_report, case, officer_user
):
    """Art. 22 clears an officer found maliciously slandered etc. whatever a
    report's outcome: a report can be partly true while its attacks on an
    officer were slander."""
    services.attach_to_case(real_name_report, user=officer_user, case=case)
    with pytest.raises(ReportingError) as refused:
        services.record_outcome(
            real_name_report,
            user=officer_user,
            outcome=Report.Outcome.SUBSTANTIATED,
            feedback="举报部分属实。",
            clarification_warranted=True,
            clarification_reason=" ",
        )
    assert refused.value.message_dict["clarification_reason"] == [
        "请写明经查执法人员受到恶意中伤、诬告陷害或者被恶意炒作和诽谤的情形"
        "（第二十二条）。"
    ]
    report = services.record_outcome(
        real_name_report,
        user=officer_user,
        outcome=Report.Outcome.SUBSTANTIATED,
        feedback="举报部分属实。",
        clarification_warranted=True,
        clarification_reason="举报中关于执法人员收受财物的内容经查系捏造，属诬告陷害。",
    )
    assert report.clarification_warranted


def test_art17_public_status_is_not_determined_before_the_decision():
    """认定 is a stage of the office's work; the reporter is told "已认定"
    only once the decision is made (反馈 and after)."""
    verifying = rules.PublicStatus.VERIFYING
    determined = rules.PublicStatus.DETERMINED
    for stage, expected in [
        (Stage.DETERMINED, verifying),
        (Stage.NOTIFIED, determined),
        (Stage.CORRECTING, determined),
        (Stage.ARCHIVED, determined),
    ]:
        status = rules.public_status(
            closed=False, has_case=True, case_stage=stage, triaged=True
        )
        assert status == expected


@pytest.mark.parametrize(
    ("finding", "says", "never"),
    [
        ("unfounded", "举报反映的问题查无实据", "不属实"),
        ("untrue", "举报反映的问题不属实", "查无实据"),
        ("substantiated", "受到恶意中伤、诬告陷害或者被恶意炒作和诽谤", "不属实"),
    ],
)
def test_art22_clarification_draft_states_the_finding(case, finding, says, never):
    _title, body = publishing.notice_text(case, ["欧阳振华"], finding)
    assert says in body and never not in body
    assert "欧阳振华" not in body


def test_art22_clarification_draft_reads_the_reports_outcome(
    real_name_report, case, officer_user
):
    services.attach_to_case(real_name_report, user=officer_user, case=case)
    services.record_outcome(
        real_name_report,
        user=officer_user,
        outcome=Report.Outcome.UNFOUNDED,
        feedback="经查无实据。",
        clarification_warranted=True,
        clarification_reason="恶意中伤。",
    )
    _title, body = publishing.notice_text(case, ["欧阳振华"])
    assert "查无实据" in body and "不属实" not in body
