"""The staff inbox of reports (Art. 22). Every view starts from
Report.objects.visible_to(request.user); a report the user may not see is a
404 whatever the URL, and every change goes through reporting.services."""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_http_methods

import audit
from audit.access import get_visible_or_404
from audit.models import Action as AuditAction
from audit.models import Outcome as AuditOutcome
from portal.downloads import private_download
from reporting import forms, identity, services
from reporting.models import Report, ReportAttachment
from reporting.status_page import status_context


def visible_report(request, pk, action=AuditAction.REPORT_VIEW) -> Report:
    """The report the user may see, else 404 with the attempt audited."""
    return get_visible_or_404(
        request,
        Report.objects.visible_to(request.user).select_related(
            "agency", "case", "triaged_by", "outcome_recorded_by"
        ),
        pk,
        action,
    )


@dataclass(frozen=True)
class Step:
    """One thing staff can do to a report: its form and the service call."""

    label: str
    form_class: type
    perform: callable

    def make_form(self, data, report, user, name):
        # Several forms share a page: ids are made unique, names stay plain.
        kwargs = {"auto_id": f"id_{name}_%s"}
        if self.form_class is forms.AttachCaseForm:
            return self.form_class(data, user=user, **kwargs)
        return self.form_class(
            data, initial=_initial(self.form_class, report), **kwargs
        )


def _initial(form_class, report: Report) -> dict:
    if form_class is forms.NewCaseForm:
        return {
            "title": report.subject,
            "agency": report.agency_id,
            "summary": report.description,
            "filed_on": timezone.localdate(),
        }
    if form_class is forms.OutcomeForm:
        return {
            "outcome": report.outcome,
            "feedback": report.feedback,
            "explained_where": report.explained_where,
            "explained_to": report.explained_to,
            "explained_on": report.explained_on,
            "clarification_warranted": report.clarification_warranted,
            "clarification_reason": report.clarification_reason,
            "release": True,
        }
    return {}


STEPS = {
    "new_case": Step(
        gettext_lazy("File a case (new supervision case)"),
        forms.NewCaseForm,
        lambda report, user, data: services.triage_new_case(report, user=user, **data),
    ),
    "attach": Step(
        gettext_lazy("joined to an existing case"),
        forms.AttachCaseForm,
        lambda report, user, data: services.attach_to_case(report, user=user, **data),
    ),
    "close_untriaged": Step(
        gettext_lazy("Close without filing a case"),
        forms.CloseForm,
        lambda report, user, data: services.close_without_case(
            report, user=user, **data
        ),
    ),
    "outcome": Step(
        gettext_lazy("Record the outcome of the verification (Art. 22)"),
        forms.OutcomeForm,
        lambda report, user, data: services.record_outcome(report, user=user, **data),
    ),
    "close": Step(
        gettext_lazy("Close the report"),
        forms.ConfirmForm,
        lambda report, user, data: services.close_report(report, user=user),
    ),
    "message": Step(
        gettext_lazy("Write to the reporter"),
        forms.MessageForm,
        lambda report, user, data: services.post_office_message(
            report, user=user, **data
        ),
    ),
    "note": Step(
        gettext_lazy("internal note"),
        forms.NoteForm,
        lambda report, user, data: services.add_note(report, user=user, **data),
    ),
}


def available_steps(report: Report, user) -> list[str]:
    """What the screen offers; the services refuse anything else anyway."""
    if not user.has_perm("reporting.change_report"):
        return []
    if report.closed_at:
        return ["note"]
    steps = ["message", "note"]
    if report.disposition == Report.Disposition.PENDING:
        steps = ["new_case", "attach", "close_untriaged", *steps]
    elif report.case_id:
        steps = ["outcome", *steps]
        if report.outcome and report.feedback_released_at:
            steps.insert(1, "close")
    return steps


def clarification_url(report: Report, user) -> str | None:
    """Where the publishing plugin drafts a clarification notice from the
    case, when it is installed (reporting does not depend on it) and open to
    ``user`` (the drafting view's own checks decide)."""
    if not (report.clarification_warranted and report.case_id):
        return None
    if not apps.is_installed("publishing"):
        return None
    from publishing.clarification_access import may_draft_clarification

    if not may_draft_clarification(user, report.case_id):
        return None
    try:
        return reverse("publishing:clarification_from_case", args=[report.case_id])
    except NoReverseMatch:
        return None


@require_http_methods(["GET", "POST"])
def report_detail(request, pk):
    report = visible_report(request, pk)
    if request.method == "GET":
        audit.record(AuditAction.REPORT_VIEW, request=request, obj=report)
    user = request.user
    allowed = available_steps(report, user)
    bound = {}
    revealed = None
    reveal_form = forms.RevealForm()
    if request.method == "POST":
        action = request.POST.get("do", "")
        if action == "reveal":
            reveal_form = forms.RevealForm(request.POST)
            if reveal_form.is_valid():
                try:
                    revealed = services.reveal_identity(
                        report, user=user, purpose=reveal_form.cleaned_data["purpose"]
                    )
                except ValidationError as error:
                    for message in error.messages:
                        reveal_form.add_error(None, message)
                except identity.IdentityUnreadable:
                    reveal_form.add_error(
                        None,
                        gettext(
                            "The identity cannot be decrypted: the encryption key may "
                            "have changed. Please contact the system administrator."
                        ),
                    )
        elif action in allowed:
            step = STEPS[action]
            form = step.make_form(request.POST, report, user, action)
            if form.is_valid():
                try:
                    step.perform(report, user, dict(form.cleaned_data))
                except ValidationError as error:
                    _add_errors(form, error)
                else:
                    messages.success(
                        request, gettext("Done: %(step)s") % {"step": step.label}
                    )
                    return redirect("reporting_report:detail", pk=report.pk)
            bound[action] = form
        else:
            messages.error(
                request,
                gettext(
                    "This action is not available now; the page has been refreshed."
                ),
            )
            return redirect("reporting_report:detail", pk=report.pk)
    step_forms = [
        (
            name,
            STEPS[name],
            bound.get(name) or STEPS[name].make_form(None, report, user, name),
        )
        for name in allowed
    ]
    context = {
        "report": report,
        "step_forms": step_forms,
        "open_step": next(iter(bound), None),
        "thread": report.messages.select_related("staff_user").prefetch_related(
            "attachments"
        ),
        "notes": report.notes.select_related("author"),
        "attachments": report.attachments.filter(message__isnull=True),
        "can_reveal": report.is_real_name
        and user.has_perm("reporting.view_reporter_identity"),
        "reveal_form": reveal_form,
        "revealed": revealed,
        "accesses": report.identity_accesses.select_related("user")[:20]
        if user.has_perm("reporting.view_identityaccess")
        else None,
        "clarification_url": clarification_url(report, request.user),
        "public_view": status_context(report, None),
        "header_title": report.number,
    }
    response = TemplateResponse(request, "reporting/admin/report_detail.html", context)
    if revealed:
        response["Cache-Control"] = "no-store"
    return response


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            for message in errors:
                form.add_error(field if field in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


def attachment_download(request, pk, attachment_pk):
    action = AuditAction.REPORT_ATTACHMENT_DOWNLOAD
    report = visible_report(request, pk, action)
    attachment = ReportAttachment.objects.filter(
        report=report, pk=attachment_pk
    ).first()
    detail = {"attachment": attachment_pk}
    if attachment is None:
        audit.record(
            action,
            request=request,
            obj=report,
            outcome=AuditOutcome.DENIED,
            detail=detail,
        )
        raise Http404
    audit.record(action, request=request, obj=report, detail=detail)
    return private_download(
        attachment.file, attachment.original_name, attachment.content_type
    )
