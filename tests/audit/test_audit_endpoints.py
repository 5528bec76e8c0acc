"""Every instrumented endpoint writes exactly the expected audit rows: views,
exports and downloads of case files and reports, identity reveals, and the
decisions of casework and the reporting channel, denied attempts included."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from audit.models import Action, AuditEvent
from casework import reports, services
from casework.documents import generate_document
from casework.models import CaseDocument, PeriodicReport
from casework.rules.articles import Outcome
from casework.rules.stages import Stage
from reporting import services as reporting
from reporting.models import Report, ReportAttachment
from tests.testkit.factories import DETERMINED_ON, DISTINCTIONS

pytestmark = pytest.mark.django_db


def summary(rows):
    return [(row.action, row.outcome, row.username, row.object_id) for row in rows]


def case_url(case, *parts):
    return "/".join([f"/admin/casework/cases/{case.pk}", *map(str, parts)]) + "/"


def test_viewing_a_case_and_being_refused_one(
    client, case, investigator, outsider, events
):
    client.force_login(investigator)
    assert client.get(case_url(case)).status_code == 200
    client.force_login(outsider)
    assert client.get(case_url(case)).status_code == 404
    assert client.get("/admin/casework/cases/999999/").status_code == 404
    assert summary(events()) == [
        ("case.view", "success", "inv1", str(case.pk)),
        ("case.view", "denied", "outsider", str(case.pk)),
        ("case.view", "denied", "outsider", "999999"),
    ]
    viewed = events()[0]
    assert viewed.object_repr == case.number
    assert viewed.path == case_url(case) and viewed.method == "GET"
    assert viewed.client_address == "127.0.0.1"


def test_downloading_case_files_and_documents(
    client, determined_case, investigator, outsider, events
):
    case = determined_case
    attachment = services.add_attachment(
        case,
        user=investigator,
        title="询问笔录",
        file=ContentFile(b"%PDF-1.4 x", name="inquiry.pdf"),
    )
    link = case.case_officers.get()
    services.determine(
        link,
        user=investigator,
        outcome=Outcome.EXEMPT,
        basis=["10(2)"],
        facts="政策界限不明确。",
        decided_on=DETERMINED_ON,
        **DISTINCTIONS,
    )
    document = generate_document(
        case, CaseDocument.Kind.DECISION_NOTICE, user=investigator
    )
    before = AuditEvent.objects.count()
    client.force_login(investigator)
    b"".join(client.get(case_url(case, "attachments", attachment.pk)))
    b"".join(client.get(case_url(case, "documents", document.pk)))
    assert client.get(case_url(case, "documents", 999999)).status_code == 404
    client.force_login(outsider)
    assert client.get(case_url(case, "attachments", attachment.pk)).status_code == 404
    rows = list(AuditEvent.objects.order_by("pk")[before:])
    assert summary(rows) == [
        ("case.file_download", "success", "inv1", str(case.pk)),
        ("case.document_download", "success", "inv1", str(case.pk)),
        ("case.document_download", "denied", "inv1", str(case.pk)),
        ("case.file_download", "denied", "outsider", str(case.pk)),
    ]
    assert rows[0].detail == {"attachment": attachment.pk}
    assert rows[1].detail["document_number"] == document.number


def test_exporting_the_case_list(client, case, investigator, events):
    client.force_login(investigator)
    response = client.get("/admin/casework/cases/", {"export": "csv", "q": "餐饮"})
    b"".join(response.streaming_content)
    client.get("/admin/casework/cases/")  # the list itself is not an export
    (row,) = events()
    assert (row.action, row.outcome, row.username) == ("case.export", "success", "inv1")
    assert row.detail == {"format": "csv", "rows": 1, "filters": {"q": "餐饮"}}
    assert row.object_id == "" and row.path == "/admin/casework/cases/"


def test_downloading_a_periodic_report(client, case, head, outsider, events):
    report = reports.generate_report(PeriodicReport.Kind.YEAR, 2025, user=head)
    client.force_login(head)
    url = reverse("casework_reports:download", args=[report.pk, "docx"])
    b"".join(client.get(url))
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    assert summary(events()) == [
        ("periodic_report.download", "success", "head", str(report.pk)),
        ("periodic_report.download", "denied", "outsider", str(report.pk)),
    ]


def test_decisions_through_the_case_page(client, case, investigator, events):
    """A refused decision leaves a denied row although the view's transaction
    rolled back; an accepted one its success row; nothing else is written."""
    client.force_login(investigator)
    url = case_url(case, "do", "transition")
    # A stage move is confirmed first (#17): the confirmation page writes
    # nothing; the confirmed post decides.
    asked = client.post(url, {"target": Stage.VERIFYING, "note": ""})
    assert asked.status_code == 200 and not events(action=Action.CASE_STAGE)
    accepted = client.post(
        url, {"target": Stage.VERIFYING, "note": "", "confirmed": "1"}
    )
    assert accepted.status_code == 302
    # No investigators assigned, no statements: 认定 is refused at once.
    refused = client.post(url, {"target": Stage.DETERMINED, "note": ""})
    assert refused.status_code == 400
    decisions = events(action=Action.CASE_STAGE)
    assert summary(decisions) == [
        ("case.decision.stage", "success", "inv1", str(case.pk)),
        ("case.decision.stage", "denied", "inv1", str(case.pk)),
    ]
    assert decisions[0].detail == {"to": "verifying", "system": False}
    assert decisions[1].detail["reasons"]
    assert len(events()) == 2
    assert decisions[1].path == url


def test_every_casework_decision_service_is_audited(
    determined_case, head, investigator, events
):
    case = determined_case
    link = case.case_officers.get()
    with pytest.raises(services.CaseworkError):
        services.determine(
            link,
            user=head,
            outcome=Outcome.EXEMPT,
            basis=["10(2)"],
            facts="",
            **DISTINCTIONS,
        )
    determination = services.determine(
        link,
        user=investigator,
        outcome=Outcome.EXEMPT,
        basis=["10(2)"],
        facts="政策界限不明确。",
        decided_on=DETERMINED_ON,
        **DISTINCTIONS,
    )
    document = generate_document(
        case, CaseDocument.Kind.DECISION_NOTICE, user=investigator
    )
    rows = events()
    assert summary(rows) == [
        ("case.decision.determination", "denied", "head", str(case.pk)),
        ("case.decision.determination", "success", "inv1", str(case.pk)),
        ("case.decision.document", "success", "inv1", str(case.pk)),
    ]
    assert rows[1].detail == {
        "record": f"casework.determination:{determination.pk}",
        "case_officer": link.pk,
        "outcome": "exempt",
        "basis": ["10(2)"],
    }
    assert rows[2].detail["document_number"] == document.number


def test_filing_a_case_is_audited_with_the_new_case(case, events):
    # ``case`` was filed before ``events`` started counting: look it up.
    row = AuditEvent.objects.get(action=Action.CASE_FILE)
    assert (row.outcome, row.object_id, row.object_repr) == (
        "success",
        str(case.pk),
        case.number,
    )


def test_reports_views_downloads_and_identity(
    client, real_name_report, head, investigator, outsider, events
):
    report = real_name_report
    attachment = ReportAttachment.objects.create(
        report=report,
        original_name="photo.png",
        content_type="image/png",
        size=4,
        file=ContentFile(b"\x89PNG", name="a.png"),
    )
    url = reverse("reporting_report:detail", args=[report.pk])
    download = reverse("reporting_report:attachment", args=[report.pk, attachment.pk])
    client.force_login(investigator)
    assert client.get(url).status_code == 200
    b"".join(client.get(download))
    refused = client.post(url, {"do": "reveal", "purpose": "核实举报情况"})
    assert "13905310000" not in refused.content.decode()
    client.force_login(head)
    shown = client.post(url, {"do": "reveal", "purpose": "电话联系核实情况"})
    assert "13905310000" in shown.content.decode()
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    assert client.get(download).status_code == 404
    rows = events()
    assert summary(rows) == [
        ("report.view", "success", "inv1", str(report.pk)),
        ("report.attachment_download", "success", "inv1", str(report.pk)),
        ("report.identity_reveal", "denied", "inv1", str(report.pk)),
        ("report.identity_reveal", "success", "head", str(report.pk)),
        ("report.view", "denied", "outsider", str(report.pk)),
        ("report.attachment_download", "denied", "outsider", str(report.pk)),
    ]
    assert rows[3].detail == {"purpose": "电话联系核实情况"}
    assert report.identity_accesses.count() == 1
    # Never the reporter's identity, anywhere in the log.
    for row in rows:
        text = f"{row.object_repr} {row.detail} {row.path}"
        assert "王建国" not in text and "13905310000" not in text
        # The report's number when it was loaded; nothing of it otherwise.
        assert row.object_repr == ("" if row.username == "outsider" else report.number)


def test_report_decisions_and_export(
    client, real_name_report, case, investigator, events
):
    report = real_name_report
    reporting.attach_to_case(report, user=investigator, case=case)
    with pytest.raises(reporting.ReportingError):
        reporting.close_report(report, user=investigator)
    # The result is released only once the case is decided (Art. 17, 22).
    # Set the decided state directly: this test counts the report's audit
    # events, and deciding through the services would add the case's own.
    case.__class__.objects.filter(pk=case.pk).update(
        stage=Stage.NOTIFIED, decided_on=services.today()
    )
    reporting.record_outcome(
        report,
        user=investigator,
        outcome=Report.Outcome.UNFOUNDED,
        feedback="经核查，反映的问题查无实据。",
        release=True,
    )
    reporting.close_report(report, user=investigator)
    client.force_login(investigator)
    b"".join(client.get("/admin/reporting/reports/", {"export": "xlsx"}))
    rows = events()
    assert summary(rows) == [
        ("report.decision.triage", "success", "inv1", str(report.pk)),
        ("report.decision.close", "denied", "inv1", str(report.pk)),
        ("report.decision.outcome", "success", "inv1", str(report.pk)),
        ("report.decision.close", "success", "inv1", str(report.pk)),
        ("report.export", "success", "inv1", ""),
    ]
    assert rows[0].detail == {"disposition": "attached", "case": case.pk}
    assert rows[2].detail == {"outcome": "unfounded", "released": True}
    assert rows[4].detail == {"format": "xlsx", "rows": 1, "filters": {}}
