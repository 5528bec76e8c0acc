"""Admin views of deadline warnings, periodic reports and risk points.

Every list starts from the model's ``visible_to(user)`` queryset, so what a
user may not see is a 404 whatever the URL; writes go through the services
(casework.deadlines, casework.reports, casework.risk_points), whose Chinese
messages are shown on the form.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

import audit
from audit.models import Action as AuditAction
from audit.models import Outcome as AuditOutcome
from casework import deadlines, reports, risk_points, roles
from casework.models import (
    DeadlineWarning,
    PeriodicReport,
    RiskPoint,
    RiskWarning,
    SupervisionCase,
)
from casework.oversight_forms import (
    ReportForm,
    RiskAnalysisForm,
    RiskReportForm,
    RiskWarningForm,
)
from portal import clock
from portal.downloads import private_download

PAGE_SIZE = 50


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("p"))


# --- Warnings ---------------------------------------------------------------------


def my_warnings(request):
    """我的提醒: the deadline warnings sent to the user, newest first."""
    if not roles.is_casework_staff(request.user):
        raise PermissionDenied
    show = request.GET.get("show", "unread")
    notices = deadlines.notices_for(request.user).order_by("-created_at", "-pk")
    unread_count = notices.filter(read_at__isnull=True).count()
    if show == "unread":
        notices = notices.filter(read_at__isnull=True)
    return TemplateResponse(
        request,
        "casework/admin/oversight/my_warnings.html",
        {
            "page": _page(request, notices),
            "show": show,
            "unread_count": unread_count,
            "is_office": roles.is_officer(request.user),
            "header_title": _("My reminders"),
        },
    )


@require_POST
def mark_warnings_read(request):
    if not roles.is_casework_staff(request.user):
        raise PermissionDenied
    ids = request.POST.getlist("notice")
    try:
        ids = [int(pk) for pk in ids] if ids else None
    except ValueError:
        ids = []
    count = deadlines.mark_read(request.user, ids)
    messages.success(
        request, _("%(count)s reminders marked as read.") % {"count": count}
    )
    return redirect("casework_warnings:index")


def all_warnings(request):
    """Every warning on the cases the user may see (the office's overview)."""
    if not roles.is_officer(request.user):
        raise PermissionDenied
    warnings = DeadlineWarning.objects.visible_to(request.user).select_related(
        "case__agency"
    )
    level = request.GET.get("level")
    if level in DeadlineWarning.Level.values:
        warnings = warnings.filter(level=level)
    return TemplateResponse(
        request,
        "casework/admin/oversight/all_warnings.html",
        {
            "page": _page(request, warnings),
            "level": level,
            "levels": DeadlineWarning.Level.choices,
            "header_title": _("Deadline warnings"),
        },
    )


# --- Reports ----------------------------------------------------------------------


def report_index(request):
    visible = PeriodicReport.objects.visible_to(request.user)
    if not roles.is_officer(request.user):
        raise PermissionDenied
    year, month = reports.last_completed_period(
        PeriodicReport.Kind.MONTH, timezone.localdate()
    )
    form = ReportForm(
        request.POST or None,
        initial={"kind": PeriodicReport.Kind.MONTH, "year": year, "index": month},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = reports.generate_report(
                data["kind"], data["year"], data["index"], user=request.user
            )
        except reports.ReportError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("Generated: %(title)s") % {"title": report.title}
            )
            return redirect("casework_reports:index")
    return TemplateResponse(
        request,
        "casework/admin/oversight/reports.html",
        {
            "form": form,
            "page": _page(request, visible.select_related("generated_by")),
            "header_title": _("periodic reports"),
        },
        status=400 if request.method == "POST" else 200,
    )


def report_detail(request, pk):
    report = get_object_or_404(PeriodicReport.objects.visible_to(request.user), pk=pk)
    return TemplateResponse(
        request,
        "casework/admin/oversight/report_detail.html",
        {"report": report, "header_title": report.title},
    )


def report_download(request, pk, fmt):
    action = AuditAction.PERIODIC_REPORT_DOWNLOAD
    report = PeriodicReport.objects.visible_to(request.user).filter(pk=pk).first()
    if report is None or fmt not in ("docx", "xlsx"):
        audit.record(
            action,
            request=request,
            model=PeriodicReport,
            object_id=pk,
            outcome=AuditOutcome.DENIED,
            detail={"format": fmt},
        )
        raise Http404
    audit.record(action, request=request, obj=report, detail={"format": fmt})
    field = getattr(report, fmt)
    # Named by the Beijing time it was generated (the stored value is UTC).
    return private_download(
        field,
        f"{report.title}-{clock.file_stamp(report.generated_at)}.{fmt}",
        fallback=f"report-{clock.ascii_file_stamp(report.generated_at)}.{fmt}",
    )


# --- Risk points ------------------------------------------------------------------


def risk_index(request):
    """Risk points and the trend charts (Art. 21)."""
    user = request.user
    if not (roles.is_officer(user) or roles.is_liaison(user)):
        raise PermissionDenied
    points = (
        RiskPoint.objects.visible_to(user)
        .select_related("field", "agency")
        .annotate(
            warning_count=Count("warnings", distinct=True),
            open_warning_count=Count(
                "warnings",
                filter=~Q(warnings__status=RiskWarning.Status.VERIFIED),
                distinct=True,
            ),
        )
        .order_by("-last_detected_on", "-pk")
    )
    status = request.GET.get("status", "live")
    if status == "live":
        points = points.exclude(status=RiskPoint.Status.CLOSED)
    elif status in RiskPoint.Status.values:
        points = points.filter(status=status)
    context = {
        "page": _page(request, points),
        "status": status,
        "statuses": RiskPoint.Status.choices,
        "header_title": _("risk points"),
    }
    if roles.is_officer(user):
        context["trend"] = risk_points.risk_trend()
    return TemplateResponse(
        request, "casework/admin/oversight/risk_index.html", context
    )


def _point(request, pk) -> RiskPoint:
    return get_object_or_404(
        RiskPoint.objects.visible_to(request.user).select_related("field", "agency"),
        pk=pk,
    )


def risk_detail(request, pk):
    point = _point(request, pk)
    user = request.user
    office = roles.is_officer(user)
    warnings = RiskWarning.objects.visible_to(user).filter(risk_point=point)
    context = {
        "point": point,
        "office": office,
        "warnings": warnings.select_related("agency", "verified_by"),
        "header_title": str(point),
    }
    if office:
        # Only the cases the user may see: a recused officer must not learn
        # of the case through a risk point (Art. 16).
        context["cases"] = (
            SupervisionCase.objects.visible_to(user)
            .filter(risk_points=point)
            .select_related("agency", "field")
            .order_by("-filed_on")
        )
        context["analysis_form"] = RiskAnalysisForm(
            initial={"analysis": point.analysis}
        )
        context["warning_form"] = RiskWarningForm(point=point)
    return TemplateResponse(
        request, "casework/admin/oversight/risk_detail.html", context
    )


def _form_page(request, point, form, title, *, status=200):
    return TemplateResponse(
        request,
        "casework/admin/oversight/risk_form.html",
        {"point": point, "form": form, "title": title, "header_title": title},
        status=status,
    )


def _back(point) -> str:
    return reverse("casework_risks:detail", args=[point.pk])


def _run(request, form, call, done: str, point):
    try:
        call()
    except ValidationError as error:
        for message in error.messages:
            form.add_error(None, message)
        return None
    messages.success(request, done)
    return redirect(_back(point))


def risk_analyse(request, pk):
    point = _point(request, pk)
    if not roles.is_officer(request.user):
        raise PermissionDenied
    form = RiskAnalysisForm(request.POST or None, initial={"analysis": point.analysis})
    if request.method == "POST" and form.is_valid():
        done = _run(
            request,
            form,
            lambda: risk_points.analyse_risk_point(
                point, user=request.user, analysis=form.cleaned_data["analysis"]
            ),
            _("Root-cause analysis saved."),
            point,
        )
        if done:
            return done
    return _form_page(
        request,
        point,
        form,
        _("Root-cause analysis"),
        status=400 if request.POST else 200,
    )


def risk_warn(request, pk):
    point = _point(request, pk)
    if not roles.is_officer(request.user):
        raise PermissionDenied
    form = RiskWarningForm(request.POST or None, point=point)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = _run(
            request,
            form,
            lambda: risk_points.issue_risk_warnings(
                point,
                user=request.user,
                agencies=data["agencies"],
                content=data["content"],
                requirements=data["requirements"],
                deadline=data["deadline"],
            ),
            _("Warning sent."),
            point,
        )
        if done:
            return done
    return _form_page(
        request, point, form, _("Send warning"), status=400 if request.POST else 200
    )


def risk_close(request, pk):
    point = _point(request, pk)
    if not roles.is_head(request.user):
        raise PermissionDenied
    if request.method != "POST":
        return redirect(_back(point))
    try:
        risk_points.close_risk_point(point, user=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Risk point closed."))
    return redirect(_back(point))


def _warning(request, pk, warning_pk) -> RiskWarning:
    return get_object_or_404(
        RiskWarning.objects.visible_to(request.user).select_related(
            "risk_point", "agency"
        ),
        pk=warning_pk,
        risk_point_id=pk,
    )


def risk_warning_report(request, pk, warning_pk):
    warning = _warning(request, pk, warning_pk)
    point = warning.risk_point
    form = RiskReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = _run(
            request,
            form,
            lambda: risk_points.report_risk_warning(
                warning, user=request.user, report=form.cleaned_data["report"]
            ),
            _("Rectification reported."),
            point,
        )
        if done:
            return done
    return _form_page(
        request,
        point,
        form,
        _("Report rectification: %(agency)s") % {"agency": warning.agency},
        status=400 if request.POST else 200,
    )


def risk_warning_verify(request, pk, warning_pk):
    warning = _warning(request, pk, warning_pk)
    if request.method == "POST":
        try:
            risk_points.verify_risk_warning(warning, user=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Rectification verified."))
    return redirect(_back(warning.risk_point))
