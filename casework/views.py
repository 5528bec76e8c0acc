"""Admin views of the casework plugin. Every view starts from
SupervisionCase.objects.visible_to(request.user): a case the user may not
see is a 404, whatever the URL."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

import audit
from audit.access import get_visible_or_404
from audit.models import Action as AuditAction
from audit.models import Outcome as AuditOutcome
from casework import roles, services
from casework.actions import (
    ACTIONS,
    actions_for,
    effects,
    next_step,
    stage_move,
    stage_moves,
)
from casework.documents import effect_sentence
from casework.forms import CaseFilingForm
from casework.models import Attachment, CaseDocument, SupervisionCase
from casework.rules.articles import Outcome, get_item, is_exemption
from casework.rules.repeat import RepeatFinding
from casework.rules.stages import Stage, check_transition
from casework.timeline import build_timeline
from portal.downloads import private_download


def visible_case(request, pk, action=AuditAction.CASE_VIEW) -> SupervisionCase:
    """The case the user may see, else 404 with the attempt audited."""
    return get_visible_or_404(
        request,
        SupervisionCase.objects.visible_to(request.user).select_related(
            "agency", "field", "created_by"
        ),
        pk,
        action,
    )


def _denied(request, action, obj, detail) -> Http404:
    audit.record(
        action, request=request, obj=obj, outcome=AuditOutcome.DENIED, detail=detail
    )
    return Http404()


def is_agency_view(user) -> bool:
    """A liaison (and nothing more) sees only the parts meant for the agency."""
    return roles.is_liaison(user) and not (
        roles.is_officer(user) or roles.is_reviewer(user)
    )


def agency_documents(case, agency_view: bool):
    """Documents the viewer may have: the agency gets them once the decision
    is being served (反馈 onwards), never drafts made while determining."""
    documents = CaseDocument.objects.filter(case=case)
    if agency_view and case.stage not in (
        Stage.NOTIFIED,
        Stage.CORRECTING,
        Stage.ARCHIVED,
    ):
        return documents.none()
    return documents


def case_url(case) -> str:
    return reverse("casework_case:detail", args=[case.pk])


def case_detail(request, pk):
    case = visible_case(request, pk)
    audit.record(AuditAction.CASE_VIEW, request=request, obj=case)
    user = request.user
    agency_view = is_agency_view(user)
    today = timezone.localdate()
    context = {
        "case": case,
        "agency_view": agency_view,
        "deadlines": services.deadlines(case, today, agency_view=agency_view),
        "unconfirmed_note": services.UNCONFIRMED_NOTE,
        "timeline": build_timeline(case, agency_view=agency_view),
        "actions": actions_for(user, case),
        "today": today,
        "header_title": case.number,
        "case_stages": Stage.choices(),
        "passed_stages": _passed(case.stage),
    }
    context["documents"] = agency_documents(case, agency_view).order_by("-created_at")
    context["corrections"] = case.corrections.prefetch_related(
        "progress_reports", "extensions"
    )
    context["transfers"] = case.transfers.all()
    context["notifications"] = case.notifications.all()
    attachments = case.attachments.select_related("activity")
    if agency_view:
        attachments = attachments.filter(visible_to_agency=True)
    context["attachments"] = attachments
    if not agency_view:
        officers = list(
            case.case_officers.select_related(
                "officer", "statement", "determination"
            ).order_by("pk")
        )
        for link in officers:
            determination = getattr(link, "determination", None)
            link.basis_items = (
                [get_item(code) for code in determination.basis]
                if determination
                else []
            )
            link.outcome_label = (
                Outcome(determination.outcome).label if determination else ""
            )
            # The effect as the decision notice states it (one wording).
            link.effect_sentence = (
                effect_sentence(determination) if determination else ""
            )
            # Art. 12(5): every earlier determination of the person, the same
            # error type marked as a hint; the finding is the office's.
            link.earlier_determinations = [
                {
                    "case_number": d.case_officer.case.number,
                    "outcome_label": Outcome(d.outcome).label,
                    "exempted": is_exemption(d.outcome),
                    "error_type": d.case_officer.get_error_type_display(),
                    "same_error_type": d.case_officer.error_type == link.error_type,
                    "decided_on": d.decided_on,
                }
                for d in services.prior_determinations(link)
            ]
            link.repeat_label = (
                RepeatFinding(determination.repeat_finding).label
                if determination and determination.repeat_finding
                else ""
            )
        context["officers"] = officers
        context["assignments"] = case.assignments.select_related("investigator")
        context["recusals"] = case.recusals.select_related("person", "decided_by")
        context["activities"] = case.activities.all()
        context["hearings"] = case.hearings.all()
        context["extensions"] = case.extensions.all()
        context["reviews"] = case.reviews.all()
        facts = services.case_facts(case, today)
    else:
        facts = None
    context.update(_procedure(user, case, context["actions"], facts))
    return TemplateResponse(request, "casework/admin/case_detail.html", context)


def _procedure(user, case, offered, facts) -> dict:
    """The case page's actions: the next step of the procedure (the primary
    button), the stage moves open to the user with what still blocks each
    forward one (a step back is listed as such, never as progress), and the
    other actions by group."""
    moves = []
    for move in stage_moves(user, case) if facts is not None else []:
        reasons = [r.rstrip("。") for r in check_transition(facts, move.target)]
        if move.backward and reasons:
            continue  # a step back is offered only where it is open
        moves.append((move, reasons))
    if not any(action.name == "transition" for action in offered):
        moves = []
    step = next_step(case, facts, offered, moves)
    primary = None
    if step is not None:
        name, target = step
        action = ACTIONS[name]
        url = reverse("casework_case:action", args=[case.pk, name])
        label = action.label
        if target:
            url += f"?target={target}"
            label = next(m.label for m, _ in moves if m.target == target)
        primary = {"name": name, "target": target, "url": url, "label": label}
    groups: dict[str, list] = {}
    for action in offered:
        if action.name == "transition":
            continue
        if primary and primary["name"] == action.name and not primary["target"]:
            continue
        groups.setdefault(action.group, []).append(action)
    return {
        "primary": primary,
        "moves": [
            {
                "move": move,
                "reasons": reasons,
                "is_primary": bool(primary and primary["target"] == move.target),
            }
            for move, reasons in moves
        ],
        "action_groups": list(groups.items()),
    }


def _passed(stage: str) -> list[str]:
    order = [member.value for member in Stage]
    return order[: order.index(stage)]


def case_action(request, pk, action):
    case = visible_case(request, pk)
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404
    if not spec.open_to(request.user, case):
        raise PermissionDenied
    initial = {}
    if spec.name == "transition" and request.GET.get("target"):
        initial["target"] = request.GET["target"]
    form = spec.form_class(
        request.POST or None,
        request.FILES or None,
        case=case,
        user=request.user,
        initial=initial,
    )
    context = {"case": case, "form": form, "action": spec, "header_title": spec.label}
    valid = request.method == "POST" and form.is_valid()
    refused_at_once = (
        valid
        and spec.name == "transition"
        # A move the guards refuse is said at once, not after a confirmation:
        # it goes straight to the service, which refuses it with the same
        # guards' reasons and leaves its audit row.
        and bool(
            check_transition(services.case_facts(case), form.cleaned_data["target"])
        )
    )
    if valid:
        data = dict(form.cleaned_data)
        if (
            spec.confirm
            and not refused_at_once
            and request.POST.get("confirmed") != "1"
            and not request.FILES
        ):
            # Irreversible: say what will happen, and do it only once the
            # user confirms (the same input, posted again with confirmed=1).
            if request.POST.get("revise") != "1":
                return TemplateResponse(
                    request,
                    "casework/admin/case_action_confirm.html",
                    {
                        **context,
                        "effects": effects(spec, data, case),
                        "confirm_label": stage_move(case.stage, data["target"]).label
                        if spec.name == "transition"
                        else spec.label,
                        "posted": [
                            (key, value)
                            for key, values in request.POST.lists()
                            if key not in ("csrfmiddlewaretoken", "confirmed", "revise")
                            for value in values
                        ],
                    },
                )
            return TemplateResponse(request, "casework/admin/case_action.html", context)
        try:
            with transaction.atomic():
                spec.perform(data, case, request.user)
        except ValidationError as error:  # CaseworkError and model validation
            for message in error.messages:
                form.add_error(None, message)
        except IntegrityError:
            # e.g. the same form submitted twice at once: the first one won.
            form.add_error(
                None,
                _(
                    "This record was already saved by someone else or another "
                    "submission; go back to the case page to see it."
                ),
            )
        else:
            messages.success(request, spec.done_message(data, case))
            return redirect(case_url(case))
    return TemplateResponse(
        request,
        "casework/admin/case_action.html",
        context,
        status=400 if request.method == "POST" else 200,
    )


def case_create(request):
    if not roles.is_officer(request.user):
        raise PermissionDenied
    form = CaseFilingForm(
        request.POST or None, initial={"filed_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.file_case(
                user=request.user,
                title=data["title"],
                agency=data["agency"],
                field=data["field"],
                matter_type=data["matter_type"],
                source=data["source"],
                summary=data["summary"],
                filed_on=data["filed_on"],
                is_major_complex=data["is_major_complex"],
                officers=[
                    (officer, data["error_type"]) for officer in data["officers"]
                ],
            )
        except services.CaseworkError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(
                request, _("Case filed: %(number)s") % {"number": case.number}
            )
            return redirect(case_url(case))
    return TemplateResponse(
        request,
        "casework/admin/case_create.html",
        {"form": form, "header_title": _("File a case")},
        status=400 if request.method == "POST" else 200,
    )


def _serve(file_field, filename: str):
    return private_download(file_field, filename)


def attachment_download(request, pk, attachment_pk):
    action = AuditAction.CASE_FILE_DOWNLOAD
    case = visible_case(request, pk, action)
    attachments = Attachment.objects.filter(case=case)
    if is_agency_view(request.user):
        attachments = attachments.filter(visible_to_agency=True)
    attachment = attachments.filter(pk=attachment_pk).first()
    if attachment is None:
        raise _denied(request, action, case, {"attachment": attachment_pk})
    name = attachment.file.name.rsplit("/", 1)[-1]
    audit.record(
        action, request=request, obj=case, detail={"attachment": attachment.pk}
    )
    return _serve(attachment.file, name)


def document_download(request, pk, document_pk):
    action = AuditAction.CASE_DOCUMENT_DOWNLOAD
    case = visible_case(request, pk, action)
    documents = agency_documents(case, is_agency_view(request.user))
    document = documents.filter(pk=document_pk).first()
    if document is None:
        raise _denied(request, action, case, {"document": document_pk})
    audit.record(
        action,
        request=request,
        obj=case,
        detail={"document": document.pk, "document_number": document.number},
    )
    return _serve(document.file, f"{document.number}.docx")
