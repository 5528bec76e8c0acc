"""The staff inbox: who sees reports, triage, the Art. 22 outcome, the
identity behind an audit log, and what reaches the reporter."""

import datetime

import pytest
from django.urls import reverse

from casework.models import CaseSource, MatterType, Recusal
from reporting import services
from reporting.models import IdentityAccess, Report
from reporting.services import ReportingError
from tests.testkit.factories import SupervisionCaseFactory

STATUS_URL = "/report/status/"

pytestmark = pytest.mark.django_db


def detail_url(report):
    return reverse("reporting_report:detail", args=[report.pk])


def test_only_supervision_staff_see_reports(
    real_name_report, officer_user, head_user, liaison_user, reviewer_user
):
    assert list(Report.objects.visible_to(officer_user)) == [real_name_report]
    assert list(Report.objects.visible_to(head_user)) == [real_name_report]
    # A liaison's own agency is the one reported on: all the more reason.
    assert not Report.objects.visible_to(liaison_user).exists()
    assert not Report.objects.visible_to(reviewer_user).exists()


def test_a_recused_investigator_loses_the_report_of_that_case(
    real_name_report, case, officer_user, head_user
):
    services.attach_to_case(real_name_report, user=head_user, case=case)
    Recusal.objects.create(
        case=case,
        person=officer_user,
        kind="applied",
        reason="与被反映人系亲属",
        status=Recusal.Status.APPROVED,
    )
    assert not Report.objects.visible_to(officer_user).exists()
    assert Report.objects.visible_to(head_user).exists()


@pytest.mark.parametrize("who", ["liaison_user", "reviewer_user"])
def test_the_inbox_and_a_report_are_closed_to_other_roles(
    client, real_name_report, who, request
):
    client.force_login(request.getfixturevalue(who))
    index = client.get(reverse("reporting_report:index"))
    assert index.status_code in (302, 403)
    assert client.get(detail_url(real_name_report)).status_code in (302, 403, 404)


def test_triage_into_a_new_case(client, real_name_report, officer_user, agency):
    from tests.testkit.factories import EnforcementFieldFactory

    field = EnforcementFieldFactory()
    client.force_login(officer_user)
    response = client.post(
        detail_url(real_name_report),
        {
            "do": "new_case",
            "title": "区市场监督管理局执法人员未出示证件执法监督",
            "agency": agency.pk,
            "field": field.pk,
            "matter_type": MatterType.INSPECTION,
            "summary": "举报反映检查时未出示执法证件。",
            "filed_on": datetime.date.today().isoformat(),
        },
    )
    assert response.status_code == 302
    real_name_report.refresh_from_db()
    assert real_name_report.disposition == Report.Disposition.NEW_CASE
    assert real_name_report.case.source == CaseSource.REPORT
    assert real_name_report.triaged_by == officer_user


def test_triage_twice_is_refused_and_changes_nothing(
    real_name_report, case, officer_user
):
    services.attach_to_case(real_name_report, user=officer_user, case=case)
    other_case = SupervisionCaseFactory(agency=case.agency, filed_by=officer_user)
    with pytest.raises(ReportingError, match="已经分办"):
        services.attach_to_case(real_name_report, user=officer_user, case=other_case)
    real_name_report.refresh_from_db()
    assert real_name_report.case == case


def test_closing_without_a_case_needs_a_reason_and_feedback(
    client, real_name_report, officer_user
):
    client.force_login(officer_user)
    response = client.post(
        detail_url(real_name_report),
        {"do": "close_untriaged", "reason": "", "feedback": "已转交"},
    )
    assert response.status_code == 200
    assert "必需字段" in response.content.decode()
    real_name_report.refresh_from_db()
    assert real_name_report.closed_at is None
    services.close_without_case(
        real_name_report,
        user=officer_user,
        reason="不属于行政执法行为",
        feedback="您反映的问题不属于本渠道受理范围，建议拨打12345。",
    )
    client.post(STATUS_URL, {"code": real_name_report.code})
    html = client.get(STATUS_URL).content.decode()
    assert "已办结" in html and "建议拨打12345" in html
    assert "不属于行政执法行为" not in html  # the internal reason stays inside


def test_anonymous_outcome_requires_where_and_to_whom_it_was_explained(
    anonymous_report, case, officer_user
):
    services.attach_to_case(anonymous_report, user=officer_user, case=case)
    with pytest.raises(ReportingError) as refused:
        services.record_outcome(
            anonymous_report,
            user=officer_user,
            outcome=Report.Outcome.UNFOUNDED,
            feedback="经查无实据。",
        )
    problems = refused.value.message_dict
    assert {"explained_where", "explained_to", "explained_on"} <= set(problems)
    anonymous_report.refresh_from_db()
    assert anonymous_report.outcome == ""


def test_clarification_needs_the_finding_whatever_the_outcome(
    real_name_report, case, officer_user
):
    """Art. 22 clears an officer found maliciously slandered or falsely
    accused whatever the report's outcome; the finding must be written down.
    (Was test_clarification_only_for_untrue_or_unfounded_reports, which
    refused clarification for a substantiated report.)"""
    services.attach_to_case(real_name_report, user=officer_user, case=case)
    with pytest.raises(ReportingError) as refused:
        services.record_outcome(
            real_name_report,
            user=officer_user,
            outcome=Report.Outcome.UNTRUE,
            feedback="经查举报不实。",
            clarification_warranted=True,
            clarification_reason="",
        )
    assert "clarification_reason" in refused.value.message_dict
    services.record_outcome(
        real_name_report,
        user=officer_user,
        outcome=Report.Outcome.SUBSTANTIATED,
        feedback="举报部分属实，已责令整改。",
        clarification_warranted=True,
        clarification_reason="举报中关于执法人员收受财物的内容系捏造。",
    )
    real_name_report.refresh_from_db()
    assert real_name_report.clarification_warranted


def test_the_reporter_sees_the_result_only_once_released(
    client, real_name_report, case, officer_user, head_user, decide_case
):
    services.attach_to_case(real_name_report, user=officer_user, case=case)
    # The result exists once the case is decided (Art. 17, 22).
    decide_case(case, head_user, officer_user)
    services.record_outcome(
        real_name_report,
        user=officer_user,
        outcome=Report.Outcome.EXEMPTED,
        feedback="经认定，执法人员的行为符合容错免责情形，依规予以免责。",
        release=False,
    )
    client.post(STATUS_URL, {"code": real_name_report.code})
    html = client.get(STATUS_URL).content.decode()
    assert "核查中" in html or "核实中" in html
    assert "容错免责情形" not in html
    services.record_outcome(
        real_name_report,
        user=officer_user,
        outcome=Report.Outcome.EXEMPTED,
        feedback="经认定，执法人员的行为符合容错免责情形，依规予以免责。",
        release=True,
    )
    html = client.get(STATUS_URL).content.decode()
    assert "容错免责情形" in html and "依规予以容错免责" in html
    services.close_report(real_name_report, user=officer_user)
    html = client.get(STATUS_URL).content.decode()
    assert "已办结" in html and "不能再补充材料" in html


def test_the_status_page_reveals_no_one_inside_and_no_other_report(
    client, real_name_report, anonymous_report, case, officer_user, head_user
):
    services.attach_to_case(real_name_report, user=officer_user, case=case)
    services.add_note(real_name_report, user=officer_user, body="内部：疑似恶意举报")
    services.post_office_message(
        real_name_report, user=officer_user, body="请补充当天的照片。"
    )
    client.post(STATUS_URL, {"code": real_name_report.code})
    html = client.get(STATUS_URL).content.decode()
    assert "请补充当天的照片。" in html and "监督机构" in html
    for secret in (
        "欧阳振华",  # the officer concerned
        "宋佳琪",  # the investigator
        officer_user.username,
        head_user.username,
        "内部：疑似恶意举报",
        case.number,
        anonymous_report.number,
        anonymous_report.subject,
        "王建国",  # even the reporter's own name is not echoed back
    ):
        assert secret not in html, secret


def test_the_reporter_answers_and_the_inbox_shows_it(
    client, real_name_report, case, officer_user, proof
):
    services.attach_to_case(real_name_report, user=officer_user, case=case)
    services.post_office_message(real_name_report, user=officer_user, body="请补充。")
    client.post(STATUS_URL, {"code": real_name_report.code})
    response = client.post(
        reverse("reporting:reply"), {"body": "照片已拍，附后。", "proof": proof()}
    )
    assert response.status_code == 302
    assert "#thread" in response["Location"]
    assert Report.objects.awaiting_office().get() == real_name_report
    client.force_login(officer_user)
    inbox = client.get(reverse("reporting_report:index")).content.decode()
    assert "举报人有新留言" in inbox


def test_a_reply_without_an_open_status_session_goes_nowhere(client, proof):
    response = client.post(reverse("reporting:reply"), {"body": "x", "proof": proof()})
    assert response.status_code == 302
    assert response["Location"] == STATUS_URL


def test_identity_is_encrypted_at_rest(real_name_report):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT identity_ciphertext FROM reporting_report WHERE id = %s",
            [real_name_report.pk],
        )
        stored = cursor.fetchone()[0]
    assert stored and "王建国" not in stored and "13905310000" not in stored
    history = real_name_report.history.values()[0]
    assert "identity_ciphertext" not in history
    assert "receipt_digest" not in history


def test_only_the_head_sees_the_identity_and_every_view_is_audited(
    client, real_name_report, officer_user, head_user
):
    with pytest.raises(ReportingError, match="无权查看"):
        services.reveal_identity(
            real_name_report, user=officer_user, purpose="核实情况"
        )
    client.force_login(officer_user)
    crafted = client.post(
        detail_url(real_name_report), {"do": "reveal", "purpose": "核实举报情况"}
    )
    assert "13905310000" not in crafted.content.decode()
    assert not IdentityAccess.objects.exists()

    client.force_login(head_user)
    page = client.get(detail_url(real_name_report)).content.decode()
    assert "13905310000" not in page and "查看举报人身份" in page
    shown = client.post(
        detail_url(real_name_report), {"do": "reveal", "purpose": "电话联系核实情况"}
    )
    html = shown.content.decode()
    assert "王建国" in html and "13905310000" in html
    assert "no-store" in shown["Cache-Control"]
    access = IdentityAccess.objects.get()
    assert (access.user, access.purpose) == (head_user, "电话联系核实情况")
    # A purpose is required; no purpose, no identity, no log line.
    again = client.post(detail_url(real_name_report), {"do": "reveal", "purpose": ""})
    assert "13905310000" not in again.content.decode()
    assert IdentityAccess.objects.count() == 1
    with pytest.raises(PermissionError):
        IdentityAccess.objects.all().delete()


def test_a_step_not_on_offer_is_refused_without_a_change(
    client, real_name_report, officer_user
):
    client.force_login(officer_user)
    response = client.post(detail_url(real_name_report), {"do": "close"})
    assert response.status_code == 302
    real_name_report.refresh_from_db()
    assert real_name_report.closed_at is None


def test_attachments_download_only_for_those_who_see_the_report(
    client, agency, officer_user, liaison_user, png_bytes
):
    from reporting.uploads import CheckedFile

    report, _ = services.submit_report(
        kind=Report.Kind.ANONYMOUS,
        subject="照片",
        description="见附件",
        agency=agency,
        files=[CheckedFile("现场.png", png_bytes, "image/png")],
    )
    attachment = report.attachments.get()
    url = reverse("reporting_report:attachment", args=[report.pk, attachment.pk])
    client.force_login(liaison_user)
    assert client.get(url).status_code in (302, 403, 404)
    client.force_login(officer_user)
    response = client.get(url)
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == png_bytes


def _many_reports(agency, count):
    for n in range(count):
        services.submit_report(
            kind=Report.Kind.ANONYMOUS,
            subject=f"反映问题{n}",
            description="情况说明",
            agency=agency,
        )


def test_inbox_and_detail_query_counts_do_not_grow_with_data(
    client, agency, officer_user, case, django_assert_max_num_queries
):
    _many_reports(agency, 3)
    report = Report.objects.first()
    services.attach_to_case(report, user=officer_user, case=case)
    services.post_office_message(report, user=officer_user, body="问题一")
    client.force_login(officer_user)

    def counts():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as index:
            assert client.get(reverse("reporting_report:index")).status_code == 200
        with CaptureQueriesContext(connection) as detail:
            assert client.get(detail_url(report)).status_code == 200
        return len(index), len(detail)

    before = counts()
    _many_reports(agency, 12)
    for n in range(5):
        services.post_office_message(report, user=officer_user, body=f"问题{n}")
        services.add_note(report, user=officer_user, body=f"备注{n}")
    assert counts() == before
    assert before[0] <= 20 and before[1] <= 30


def test_status_page_query_count_does_not_grow_with_the_thread(
    client, real_name_report, case, officer_user, png_bytes
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reporting.uploads import CheckedFile

    services.attach_to_case(real_name_report, user=officer_user, case=case)
    # One message to start with: an empty thread skips the attachments prefetch.
    services.post_office_message(real_name_report, user=officer_user, body="您好")
    client.post(STATUS_URL, {"code": real_name_report.code})

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(STATUS_URL).status_code == 200
        return len(queries)

    count()  # the first request after the lookup also settles the session
    count()  # and the next one caches the main menu
    before = count()
    for n in range(4):
        services.post_office_message(real_name_report, user=officer_user, body=f"问{n}")
        services.add_reporter_message(
            real_name_report,
            body=f"答{n}",
            files=[CheckedFile(f"图{n}.png", png_bytes, "image/png")],
        )
    assert count() == before <= 10


def test_a_warranted_clarification_links_only_where_the_draft_view_opens(
    client, real_name_report, case, head_user
):
    services.attach_to_case(real_name_report, user=head_user, case=case)
    client.force_login(head_user)
    assert (
        "起草澄清正名公告"
        not in client.get(detail_url(real_name_report)).content.decode()
    )
    services.record_outcome(
        real_name_report,
        user=head_user,
        outcome=Report.Outcome.UNTRUE,
        feedback="经查举报不实。",
        clarification_warranted=True,
        clarification_reason="捏造事实，对执法人员造成负面影响。",
    )
    html = client.get(detail_url(real_name_report)).content.decode()
    link = reverse("publishing:clarification_from_case", args=[case.pk])
    # The head may not add notices, so the drafting view would refuse them:
    # no link (issue #17). Who gets it: tests/publishing/test_clarification_access.py.
    assert "需要：捏造事实" in html
    assert f'href="{link}"' not in html
    assert client.get(link).status_code in (302, 403)
