"""The endpoints of the access matrix, each with the objects it is asked
about by direct ID (see security_matrix.Row). Objects come from the
``world`` fixture (tests/security/conftest.py)."""

from __future__ import annotations

from security_matrix import Row


def _case(name):
    return lambda w: [getattr(w, name).pk]


CASEWORK = [
    Row("case_index", "casework_case:index", shows="cases"),
    Row("case_results", "casework_case:index_results", shows="cases"),
    Row("case_search", "casework_case:index", query="q=执法监督", shows="cases"),
    # A liaison may not probe what it cannot read (the summary).
    Row(
        "case_search_summary", "casework_case:index", query="q=机密摘要", shows="cases"
    ),
    Row("case_export_csv", "casework_case:index", query="export=csv", shows="cases"),
    Row("case_export_xlsx", "casework_case:index", query="export=xlsx", shows="cases"),
    Row("case_add", "casework_case:add"),
    Row("case_detail_a", "casework_case:detail", _case("case_a")),
    Row("case_detail_b", "casework_case:detail", _case("case_b")),
    Row(
        "action_attachment_a",
        "casework_case:action",
        lambda w: [w.case_a.pk, "attachment"],
    ),
    Row(
        "action_attachment_b",
        "casework_case:action",
        lambda w: [w.case_b.pk, "attachment"],
    ),
    Row(
        "action_review_decide_a",
        "casework_case:action",
        lambda w: [w.case_a.pk, "review_decide"],
    ),
    Row(
        "action_correction_a",
        "casework_case:action",
        lambda w: [w.case_a.pk, "correction"],
    ),
    Row(
        "action_transition_b",
        "casework_case:action",
        lambda w: [w.case_b.pk, "transition"],
    ),
    Row(
        "action_unknown_a",
        "casework_case:action",
        lambda w: [w.case_a.pk, "no-such-action"],
    ),
    Row(
        "attachment_office_a",
        "casework_case:attachment",
        lambda w: [w.case_a.pk, w.office_attachment.pk],
    ),
    Row(
        "attachment_agency_a",
        "casework_case:attachment",
        lambda w: [w.case_a.pk, w.agency_attachment.pk],
    ),
    Row(
        "attachment_b",
        "casework_case:attachment",
        lambda w: [w.case_b.pk, w.attachment_b.pk],
    ),
    # Case A's file through case B's address (both IDs real).
    Row(
        "attachment_crossed",
        "casework_case:attachment",
        lambda w: [w.case_b.pk, w.agency_attachment.pk],
    ),
    Row(
        "document_a",
        "casework_case:document",
        lambda w: [w.case_a.pk, w.document_a.pk],
    ),
    Row(
        "document_crossed",
        "casework_case:document",
        lambda w: [w.case_b.pk, w.document_a.pk],
    ),
    Row("warnings_index", "casework_warnings:index", shows="cases"),
    Row("warnings_mark_read", "casework_warnings:mark_read"),
    Row("warnings_all", "casework_warnings:all", shows="cases"),
    Row("reports_index", "casework_reports:index"),
    Row("office_rules", "casework_office_rules:index"),
    Row("reports_detail", "casework_reports:detail", _case("periodic_report")),
    Row(
        "reports_docx",
        "casework_reports:download",
        lambda w: [w.periodic_report.pk, "docx"],
    ),
    Row(
        "reports_xlsx",
        "casework_reports:download",
        lambda w: [w.periodic_report.pk, "xlsx"],
    ),
    Row(
        "reports_bad_format",
        "casework_reports:download",
        lambda w: [w.periodic_report.pk, "exe"],
    ),
    Row("risks_index", "casework_risks:index"),
    Row("risk_detail_a", "casework_risks:detail", _case("risk_a"), shows="cases"),
    Row("risk_detail_b", "casework_risks:detail", _case("risk_b"), shows="cases"),
    Row("risk_analyse_a", "casework_risks:analyse", _case("risk_a")),
    Row("risk_warn_a", "casework_risks:warn", _case("risk_a")),
    Row("risk_close_a", "casework_risks:close", _case("risk_a")),
    Row(
        "risk_warning_report_a",
        "casework_risks:warning_report",
        lambda w: [w.risk_a.pk, w.risk_warning_a.pk],
    ),
    Row(
        "risk_warning_verify_a",
        "casework_risks:warning_verify",
        lambda w: [w.risk_a.pk, w.risk_warning_a.pk],
    ),
    # Agency B's warning through agency A's risk point.
    Row(
        "risk_warning_crossed",
        "casework_risks:warning_report",
        lambda w: [w.risk_a.pk, w.risk_warning_b.pk],
    ),
    Row("chooser_choose", "casework_case_chooser:choose", shows="cases"),
    Row("chooser_results", "casework_case_chooser:choose_results", shows="cases"),
    Row("chooser_chosen_a", "casework_case_chooser:chosen", _case("case_a")),
    Row("chooser_chosen_b", "casework_case_chooser:chosen", _case("case_b")),
    Row(
        "chooser_chosen_multiple",
        "casework_case_chooser:chosen_multiple",
        path=lambda w: (
            "/admin/casework_case_chooser/chosen-multiple/"
            f"?id={w.case_a.pk}&id={w.case_b.pk}"
        ),
        shows="cases",
    ),
    Row("chooser_create", "casework_case_chooser:create"),
    Row("staff_search", "staff_search:index", query="q=执法监督", shows="cases"),
    Row(
        "staff_search_reports",
        "staff_search:index",
        query="q=执法人员",
        shows="reports",
    ),
    Row("clarification_a", "publishing:clarification_from_case", _case("case_a")),
    Row("clarification_b", "publishing:clarification_from_case", _case("case_b")),
]

# The reference-data viewsets (Wagtail ModelViewSets, model permissions).
REFERENCE_OBJECTS = {
    "agency": "agency_a",
    "officer": "person_a1",
    "enforcementfield": "field",
    "liaisonassignment": "liaison_assignment_a",
    "calendarday": "calendar_day",
    "calendaryear": "calendar_year",
    "measurevalidity": "measure_validity",
}
REFERENCE_VIEWS = (
    "index",
    "index_results",
    "add",
    "edit",
    "delete",
    "history",
    "history_results",
    "usage",
)
REFERENCE = [
    Row(
        f"{prefix}_{view}",
        f"{prefix}:{view}",
        _case(obj) if view not in ("index", "index_results", "add") else lambda w: [],
    )
    for prefix, obj in REFERENCE_OBJECTS.items()
    for view in REFERENCE_VIEWS
]

REPORTING = [
    Row("report_index", "reporting_report:index", shows="reports"),
    Row("report_results", "reporting_report:index_results", shows="reports"),
    Row("report_search", "reporting_report:index", query="q=执法人员", shows="reports"),
    Row(
        "report_export_csv",
        "reporting_report:index",
        query="export=csv",
        shows="reports",
    ),
    Row(
        "report_export_xlsx",
        "reporting_report:index",
        query="export=xlsx",
        shows="reports",
    ),
    Row("report_detail_linked", "reporting_report:detail", _case("report_linked")),
    Row("report_detail_unlinked", "reporting_report:detail", _case("report_unlinked")),
    Row(
        "report_attachment_linked",
        "reporting_report:attachment",
        lambda w: [w.report_linked.pk, w.linked_attachment.pk],
    ),
    Row(
        "report_attachment_unlinked",
        "reporting_report:attachment",
        lambda w: [w.report_unlinked.pk, w.unlinked_attachment.pk],
    ),
    Row(
        "report_attachment_crossed",
        "reporting_report:attachment",
        lambda w: [w.report_linked.pk, w.unlinked_attachment.pk],
    ),
    Row("public_report_form", "reporting:report"),
    Row("public_status", "reporting:status"),
    Row("public_reply", "reporting:reply"),
    Row("public_leave", "reporting:leave"),
]

FILES_AND_API = [
    Row("api_pages", "wagtailapi:pages:listing"),
    Row("api_documents", "wagtailapi:documents:listing", shows="docs"),
    Row("api_document_private", "wagtailapi:documents:detail", _case("private_doc")),
    Row("api_document_public", "wagtailapi:documents:detail", _case("public_doc")),
    Row("admin_api_documents", "wagtailadmin_api:documents:listing", shows="docs"),
    Row(
        "doc_serve_private",
        "wagtaildocs_serve",
        lambda w: [w.private_doc.pk, w.private_doc.filename],
    ),
    Row(
        "doc_serve_public",
        "wagtaildocs_serve",
        lambda w: [w.public_doc.pk, w.public_doc.filename],
    ),
    Row("admin_docs_index", "wagtaildocs:index", shows="docs"),
    Row("admin_docs_edit_private", "wagtaildocs:edit", _case("private_doc")),
    Row("admin_doc_chooser", "wagtaildocs_chooser:choose", shows="docs"),
    # Guessing where files lie on disk: nothing under /media/ reaches them.
    Row(
        "media_case_file",
        "",
        path=lambda w: f"/media/{w.office_attachment.file.name}",
    ),
    Row(
        "media_case_document",
        "",
        path=lambda w: f"/media/{w.document_a.file.name}",
    ),
    Row(
        "media_report_attachment",
        "",
        path=lambda w: f"/media/{w.linked_attachment.file.name}",
    ),
    Row(
        "media_periodic_report",
        "",
        path=lambda w: f"/media/{w.periodic_report.docx.name}",
    ),
    Row(
        "media_private_document",
        "",
        path=lambda w: f"/media/{w.private_doc.file.name}",
    ),
]

NO_SUCH_ID = 987654


def _ping(app_model: str, obj: str | None):
    """Wagtail's editing-session ping for ``obj`` (None: an ID that does not
    exist); a recused officer must not tell the two apart (issue #14)."""
    app_label, model_name = app_model.split(".")
    return lambda w: [
        app_label,
        model_name,
        getattr(w, obj).pk if obj else NO_SUCH_ID,
        0,
    ]


def _bulk(action: str, obj: str | None):
    return lambda w: (
        f"/admin/bulk/wagtaildocs/document/{action}/"
        f"?id={getattr(w, obj).pk if obj else NO_SUCH_ID}"
    )


# Wagtail's generic admin views that reach objects by ID, limited to what the
# user may see (portal/admin_visibility.py).
WAGTAIL_GENERIC = [
    Row(
        "ping_case_a",
        "wagtailadmin_editing_sessions:ping",
        _ping("casework.supervisioncase", "case_a"),
        method="post",
    ),
    Row(
        "ping_case_missing",
        "wagtailadmin_editing_sessions:ping",
        _ping("casework.supervisioncase", None),
        method="post",
    ),
    Row(
        "ping_report_linked",
        "wagtailadmin_editing_sessions:ping",
        _ping("reporting.report", "report_linked"),
        method="post",
    ),
    Row(
        "ping_report_missing",
        "wagtailadmin_editing_sessions:ping",
        _ping("reporting.report", None),
        method="post",
    ),
    Row("bulk_doc_delete_private", "", path=_bulk("delete", "private_doc")),
    Row("bulk_doc_delete_missing", "", path=_bulk("delete", None)),
    Row("bulk_doc_tags_private", "", path=_bulk("add_tags", "private_doc")),
]

ROWS = CASEWORK + REFERENCE + REPORTING + FILES_AND_API + WAGTAIL_GENERIC
