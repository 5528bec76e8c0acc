"""Crafted POSTs: each role, on each form it can reach, sends fields it may
not change (another case's id, agency, stage, investigators, reporter
identity, decisions meant for another role). The database must keep those
fields as they were; what the role may do still works."""

from __future__ import annotations

import io

import pikepdf
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from casework.models import (
    Assignment,
    Attachment,
    Determination,
    Recusal,
    Review,
    RiskWarning,
    SupervisionCase,
)
from reporting.models import IdentityAccess, Report, ReportNote


def _pdf() -> bytes:
    # A real PDF: uploads are parsed (portal.uploads), a bare header is refused.
    pdf = pikepdf.new()
    pdf.add_blank_page()
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


PDF = _pdf()

# What may never move through a form that is not about it.
CASE_FIELDS = ("agency", "field", "stage", "summary", "title", "decided_on")
REPORT_FIELDS = (
    "kind",
    "identity_ciphertext",
    "receipt_digest",
    "case",
    "disposition",
    "outcome",
    "feedback",
    "agency",
    "subject",
)


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def frozen(obj, fields) -> dict:
    """The fields' stored values (editable or not)."""
    obj.refresh_from_db()
    return {name: getattr(obj, obj._meta.get_field(name).attname) for name in fields}


def case_action(case, name) -> str:
    return reverse("casework_case:action", args=[case.pk, name])


def upload(name="crafted.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def test_liaison_upload_cannot_move_the_case_or_hide_the_file(world):
    """A liaison may upload to its own agency's case; the extra fields
    (another agency, a stage, investigators, another case's id) are
    ignored, and the file stays visible to the agency that sent it."""
    w = world
    before = frozen(w.case_a, CASE_FIELDS)
    response = as_user(w.liaison_a).post(
        case_action(w.case_a, "attachment"),
        {
            "title": "整改报告",
            "file": upload(),
            "visible_to_agency": "",
            "agency": w.agency_b.pk,
            "stage": "archived",
            "case": w.case_b.pk,
            "investigators": [w.liaison_a.pk],
            "created_by": w.head.pk,
        },
    )
    assert response.status_code == 302
    assert frozen(w.case_a, CASE_FIELDS) == before
    sent = Attachment.objects.get(title="整改报告")
    assert sent.case_id == w.case_a.pk
    assert sent.created_by_id == w.liaison_a.pk
    assert sent.visible_to_agency, "a liaison's own upload stays visible to it"
    assert not Assignment.objects.filter(investigator=w.liaison_a).exists()


def test_liaison_cannot_reach_the_other_agency_or_decisions(world):
    w = world
    client = as_user(w.liaison_a)
    before_b = frozen(w.case_b, CASE_FIELDS)
    refused = client.post(
        case_action(w.case_b, "attachment"), {"title": "x", "file": upload()}
    )
    assert refused.status_code == 404
    assert frozen(w.case_b, CASE_FIELDS) == before_b
    assert not Attachment.objects.filter(case=w.case_b, title="x").exists()
    # Decisions belong to the office, the reviewer and the head.
    determinations = list(Determination.objects.values())
    reviews = list(Review.objects.values())
    for action, data in [
        ("review_decide", {"result": "upheld", "reasons": "维持", "review": 1}),
        ("correction", {"reasons": "x", "items": "x", "requirements": "x"}),
        ("transition", {"target": "archived"}),
        ("document", {"kind": "decision_notice"}),
    ]:
        response = client.post(case_action(w.case_a, action), data)
        assert response.status_code in (302, 403), action
        assert response.status_code == 403 or response["Location"] == reverse(
            "wagtailadmin_home"
        ), action
    assert list(Determination.objects.values()) == determinations
    assert list(Review.objects.values()) == reviews
    assert frozen(w.case_a, CASE_FIELDS)["stage"] == "notified"


def test_officer_attachment_cannot_retarget_another_case(world):
    """The case comes from the URL, never from the form."""
    w = world
    before_a = frozen(w.case_a, CASE_FIELDS)
    before_b = frozen(w.case_b, CASE_FIELDS)
    response = as_user(w.officer_unassigned).post(
        case_action(w.case_b, "attachment"),
        {
            "title": "现场检查记录",
            "file": upload(),
            "case": w.case_a.pk,
            "case_id": w.case_a.pk,
            "agency": w.agency_a.pk,
            "stage": "archived",
        },
    )
    assert response.status_code == 302
    assert Attachment.objects.get(title="现场检查记录").case_id == w.case_b.pk
    assert frozen(w.case_a, CASE_FIELDS) == before_a
    assert frozen(w.case_b, CASE_FIELDS) == before_b


def test_officer_cannot_assign_a_recused_investigator_or_decide_for_the_head(world):
    w = world
    client = as_user(w.officer_assigned)
    response = client.post(
        case_action(w.case_a, "assign"),
        {"investigator": w.officer_recused.pk, "is_lead": "on"},
    )
    assert response.status_code == 400
    assert not Assignment.objects.filter(
        case=w.case_a, investigator=w.officer_recused, active=True
    ).exists()
    # Approving requests is the head's (Art. 16, 17).
    pending = Recusal.objects.create(
        case=w.case_a,
        person=w.officer_second,
        kind=Recusal.Kind.DECLARED,
        reason="同学关系。",
        created_by=w.officer_second,
    )
    refused = client.post(
        case_action(w.case_a, "recusal_decide"),
        {"target": pending.pk, "approve": "1"},
    )
    assert refused.status_code in (302, 403)
    pending.refresh_from_db()
    assert pending.status == Recusal.Status.PENDING
    # A review is the reviewer's or the head's (Art. 19).
    review = Review.objects.get(case=w.case_a)
    client.post(
        case_action(w.case_a, "review_decide"),
        {
            "review": review.pk,
            "result": "revoked",
            "reasons": "撤销",
            "decided_on": "2025-10-01",
        },
    )
    review.refresh_from_db()
    assert review.result == ""


def test_recused_officer_posts_nothing_into_the_case(world):
    w = world
    client = as_user(w.officer_recused)
    before = frozen(w.case_a, CASE_FIELDS)
    attachments = Attachment.objects.filter(case=w.case_a).count()
    for action in ("attachment", "correction", "notify", "transition"):
        response = client.post(
            case_action(w.case_a, action), {"title": "x", "file": upload()}
        )
        assert response.status_code == 404, action
    assert frozen(w.case_a, CASE_FIELDS) == before
    assert Attachment.objects.filter(case=w.case_a).count() == attachments
    linked = reverse("reporting_report:detail", args=[w.report_linked.pk])
    assert client.post(linked, {"do": "note", "body": "x"}).status_code == 404
    assert not ReportNote.objects.filter(report=w.report_linked).exists()


def test_report_forms_keep_identity_and_triage_fields(world):
    """An officer's note or message cannot rewrite the report: its kind,
    encrypted identity, receipt digest, case or outcome."""
    w = world
    report = w.report_linked
    before = frozen(report, REPORT_FIELDS)
    client = as_user(w.officer_assigned)
    url = reverse("reporting_report:detail", args=[report.pk])
    for step in ("note", "message"):
        response = client.post(
            url,
            {
                "do": step,
                "body": "请补充材料。",
                "kind": Report.Kind.ANONYMOUS,
                "identity_ciphertext": "",
                "receipt_digest": "0" * 64,
                "case": w.case_b.pk,
                "disposition": Report.Disposition.CLOSED,
                "outcome": Report.Outcome.UNTRUE,
                "agency": w.agency_b.pk,
                "subject": "改写的事由",
            },
        )
        assert response.status_code == 302, step
    assert frozen(report, REPORT_FIELDS) == before


def test_only_the_head_reveals_a_reporter(world):
    w = world
    url = reverse("reporting_report:detail", args=[w.report_linked.pk])
    response = as_user(w.officer_assigned).post(
        url, {"do": "reveal", "purpose": "核实举报内容需要联系举报人"}
    )
    text = response.content.decode()
    assert "王建国" not in text and "13905310000" not in text
    assert not IdentityAccess.objects.exists()
    shown = as_user(w.head).post(
        url, {"do": "reveal", "purpose": "核实举报内容需要联系举报人"}
    )
    assert "王建国" in shown.content.decode()
    assert IdentityAccess.objects.filter(user=w.head).count() == 1


def test_attach_to_case_only_to_a_visible_case(world):
    """A recused officer cannot attach a report to the case it is recused
    from by posting the case's id."""
    w = world
    report = w.report_unlinked
    before = frozen(report, REPORT_FIELDS)
    response = as_user(w.officer_recused).post(
        reverse("reporting_report:detail", args=[report.pk]),
        {"do": "attach", "case": w.case_a.pk},
    )
    assert response.status_code == 200  # the form comes back with the error
    assert frozen(report, REPORT_FIELDS) == before


def test_risk_warning_answers_stay_with_their_agency(world):
    w = world
    warning_b = w.risk_warning_b
    response = as_user(w.liaison_a).post(
        reverse("casework_risks:warning_report", args=[w.risk_a.pk, warning_b.pk]),
        {"report": "已整改。"},
    )
    assert response.status_code == 404
    warning_b.refresh_from_db()
    assert warning_b.status == RiskWarning.Status.OPEN
    # Verifying is the office's, even on the liaison's own warning.
    warning_a = w.risk_warning_a
    as_user(w.liaison_a).post(
        reverse("casework_risks:warning_verify", args=[w.risk_a.pk, warning_a.pk])
    )
    warning_a.refresh_from_db()
    assert warning_a.status == RiskWarning.Status.OPEN
    assert warning_a.verified_by_id is None


def test_reference_data_needs_the_change_permission(world):
    w = world
    url = reverse("agency:edit", args=[w.agency_a.pk])
    for user in (w.officer_assigned, w.liaison_a, w.editor):
        response = as_user(user).post(url, {"name": "改名", "kind": "street"})
        assert response.status_code == 302
        assert response["Location"] == reverse("wagtailadmin_home")
    w.agency_a.refresh_from_db()
    assert w.agency_a.name == "历城区市场监督管理局"


def test_clarification_draft_needs_the_case_and_the_editor_role(world):
    from publishing.models import ClarificationNoticePage

    w = world
    for user, case in ((w.liaison_a, w.case_a), (w.editor, w.case_a)):
        as_user(user).post(
            reverse("publishing:clarification_from_case", args=[case.pk])
        )
    assert not ClarificationNoticePage.objects.exists()


def test_case_page_shows_a_liaison_only_the_agency_part(world):
    """A liaison sees the agency's part of its own case: not the summary,
    the office's files, the statements or who investigates."""
    w = world
    text = (
        as_user(w.liaison_a)
        .get(reverse("casework_case:detail", args=[w.case_a.pk]))
        .content.decode()
    )
    assert w.case_a.number in text
    assert w.agency_attachment.title in text
    for hidden in ("机密摘要A", w.office_attachment.title, "陈述：已按程序履职"):
        assert hidden not in text, hidden


def test_report_page_never_shows_identity_unasked(world):
    w = world
    for user in (w.officer_assigned, w.head):
        text = (
            as_user(user)
            .get(reverse("reporting_report:detail", args=[w.report_linked.pk]))
            .content.decode()
        )
        assert "王建国" not in text and "13905310000" not in text


def test_case_list_is_not_changed_by_crafted_filters(world):
    """Filter parameters cannot widen the queryset: a liaison asking for the
    other agency's cases by id still sees none of them."""
    w = world
    url = reverse("casework_case:index")
    text = (
        as_user(w.liaison_a)
        .get(url, {"agency": w.agency_b.pk, "id": w.case_b.pk, "pk": w.case_b.pk})
        .content.decode()
    )
    assert w.case_b.number not in text
    assert SupervisionCase.objects.visible_to(w.liaison_a).count() == 1


def test_case_chooser_creates_nothing(world):
    """Cases are filed through the service layer only; the chooser's create
    endpoint refuses (it used to answer a POST with a 500)."""
    before = SupervisionCase.objects.count()
    response = as_user(world.head).post(
        reverse("casework_case_chooser:create"),
        {"title": "绕过立案", "agency": world.agency_a.pk, "stage": "archived"},
    )
    assert response.status_code in (302, 403)
    assert SupervisionCase.objects.count() == before
