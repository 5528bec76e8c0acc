"""The public side of the reporting channel (Art. 22).

The receipt code travels only in POST bodies and is shown only in the page
that answers the submission; the status page is tied to the browser session
after one successful lookup, so the code never appears in a URL, a cookie, a
log line or an e-mail.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from portal.ratelimit import Budget, WaitTicket
from reporting import receipts, services, staging, timing
from reporting.forms import MALFORMED_CODE, ReceiptLookupForm, ReplyForm, ReportForm
from reporting.models import Report
from reporting.status_page import challenge_context, status_context

STATUS_SESSION_KEY = "reporting.status"
NOT_FOUND = gettext_lazy(
    "No report matches this receipt code. Please check the code (16 digits) and enter "
    "it again."
)
MALFORMED = MALFORMED_CODE
QUEUED = gettext_lazy(
    "Many people are looking up reports: please click “Look up” again in about "
    "%(seconds)s seconds. The receipt code stays in the box; there is no need to "
    "enter it again."
)


def _limits():
    conf = settings.REPORTING
    return (
        Budget(
            "report-lookup",
            conf["LOOKUP_FAILURES_PER_CLIENT"],
            conf["LOOKUP_FAILURES_GLOBAL"],
            conf["LOOKUP_WINDOW_SECONDS"],
        ),
        Budget(
            "report-submit",
            conf["SUBMISSIONS_PER_CLIENT"],
            conf["SUBMISSIONS_GLOBAL"],
            conf["SUBMISSION_WINDOW_SECONDS"],
        ),
    )


def _too_many(request, *, what: str, window: int):
    response = render(
        request,
        "reporting/too_many.html",
        {"what": what, "minutes": max(1, window // 60)},
        status=429,
    )
    response["Retry-After"] = str(window)
    return response


def _no_store(response):
    response["Cache-Control"] = "no-store, max-age=0"
    # Referrer-Policy stays the site's "no-referrer" (portal/csrf.py keeps the
    # form's POST acceptable under it): these pages' addresses go nowhere.
    return response


def _lookup_queue() -> WaitTicket:
    conf = settings.REPORTING
    return WaitTicket(
        "report-lookup",
        conf["LOOKUP_QUEUE_SECONDS"],
        conf["LOOKUP_TICKET_SECONDS"],
    )


def _keep_files(request, form) -> None:
    """After a failed submission, hold on to the files that passed, within
    the staging caps (reporting/staging.py)."""
    staged = form.keep_checked_files(
        lambda checked: staging.stage_within_caps(request, checked)
    )
    form.data = form.data.copy()
    form.data["staged"] = staged


RATE_LIMITED = gettext_lazy(
    "Too many submissions: to keep the reporting channel from being abused, please "
    "submit again in about %(minutes)s minutes. What you wrote is kept on this page."
)
FILES_NOT_RECEIVED_WHEN_LIMITED = gettext_lazy(
    "Too many submissions: the attachments chosen this time were not received. Please "
    "choose them again later."
)


@never_cache
@sensitive_post_parameters("name", "contact", "proof")
def report_form(request):
    """File a report (信访举报), real-name or anonymous."""
    _, submissions = _limits()
    status_code = 200
    if request.method == "POST":
        form = ReportForm(request.POST, request.FILES)
        # Order matters: the budget (a cache read) before anything else, then
        # the proof of work (the form cleans it first), and only then are
        # files read, decoded and perhaps kept.
        if submissions.exhausted(request):
            # Refused, but the page keeps everything typed and the files
            # staged before; this request's files are not even read.
            status_code = 429
            form.files_refused = FILES_NOT_RECEIVED_WHEN_LIMITED
            form.is_valid()
            form.add_error(None, RATE_LIMITED % {"minutes": submissions.window // 60})
        elif form.is_valid():
            data = form.cleaned_data
            try:
                report, code = services.submit_report(
                    kind=data["kind"],
                    name=data["name"],
                    contact=data["contact"],
                    subject=data["subject"],
                    description=data["description"],
                    agency=data["agency"],
                    agency_text=data["agency_text"],
                    persons=data["persons"],
                    occurred_on=data["occurred_on"],
                    place=data["place"],
                    files=form.checked_files,
                    staged=form.staged_uploads,
                )
            except services.ReportingError as refused:
                form.add_error(None, refused)
            else:
                submissions.spend(request)
                return _no_store(
                    render(
                        request,
                        "reporting/receipt.html",
                        {
                            "report": report,
                            "code": receipts.format_code(code),
                            "first_review": timing.first_review(report.submitted_at),
                            "page_title": gettext("Report submitted"),
                        },
                    )
                )
        _keep_files(request, form)
    else:
        form = ReportForm()
    response = render(
        request,
        "reporting/report_form.html",
        {"form": form, "page_title": gettext("reports"), **challenge_context()},
        status=status_code,
    )
    if status_code == 429:
        response["Retry-After"] = str(submissions.window)
    return _no_store(response)


def _open_report(request) -> Report | None:
    """The report this browser session opened with a receipt, while fresh."""
    held = request.session.get(STATUS_SESSION_KEY)
    if not held or held.get("until", 0) < time.time():
        request.session.pop(STATUS_SESSION_KEY, None)
        return None
    return (
        Report.objects.select_related("agency", "case")
        .prefetch_related("messages__attachments", "attachments")
        .filter(pk=held.get("report"))
        .first()
    )


@never_cache
@sensitive_post_parameters("code", "ticket")
def status(request):
    """Check a report's status with its receipt code (POST only).

    In this order, so that nobody can lock a reporter with a real code out:
    the code's shape and check digit (free: input that cannot be a code costs
    no digest and counts against no budget); the client's own failure budget
    (429 for that client, an IPv4 address or an IPv6 /64, only); the
    site-wide failure budget, which only slows lookups down: beyond it a
    lookup is answered "请稍后" with a ticket and served when it comes back
    after LOOKUP_QUEUE_SECONDS; then the one Argon2 digest of the lookup.
    """
    lookups, _ = _limits()
    if request.method == "POST":
        form = ReceiptLookupForm(request.POST)
        status_code, keep_code, retry_after = 200, False, 0
        if form.is_valid():
            if lookups.client_exhausted(request):
                return _too_many(
                    request, what=gettext("Look up"), window=lookups.window
                )
            queue = _lookup_queue()
            ticket = form.cleaned_data["ticket"]
            if lookups.site_exhausted() and not queue.redeem(request, ticket):
                # A place in line, kept across early retries so the wait
                # does not start again.
                left = queue.seconds_left(request, ticket)
                if left is None:
                    ticket, left = queue.issue(request), queue.delay
                status_code, keep_code, retry_after = 429, True, max(1, left)
                form.add_error(None, QUEUED % {"seconds": retry_after})
                form.data = form.data.copy()
                form.data["ticket"] = ticket
            else:
                report = services.find_by_receipt(form.cleaned_data["code"])
                if report is None:
                    lookups.spend(request)
                    form.add_error("code", NOT_FOUND)
                else:
                    # A new session key: whoever held the old one does not
                    # inherit the opened report.
                    request.session.cycle_key()
                    request.session[STATUS_SESSION_KEY] = {
                        "report": report.pk,
                        "until": time.time()
                        + settings.REPORTING["STATUS_SESSION_SECONDS"],
                    }
                    return redirect("reporting:status")
        if not keep_code:
            form.data = form.data.copy()
            form.data["code"] = ""
        response = render(
            request,
            "reporting/lookup.html",
            {"form": form, "page_title": gettext("Look up the progress of a report")},
            status=status_code,
        )
        if retry_after:
            response["Retry-After"] = str(retry_after)
        return _no_store(response)
    report = _open_report(request)
    if report is None:
        return _no_store(
            render(
                request,
                "reporting/lookup.html",
                {
                    "form": ReceiptLookupForm(),
                    "page_title": gettext("Look up the progress of a report"),
                },
            )
        )
    return _no_store(
        render(request, "reporting/status.html", status_context(report, ReplyForm()))
    )


@never_cache
@sensitive_post_parameters("proof")
def reply(request):
    """The reporter adds information or answers the office."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    report = _open_report(request)
    if report is None:
        return redirect("reporting:status")
    _, submissions = _limits()
    form = ReplyForm(request.POST, request.FILES)
    status_code = 200
    # The same order as report_form: budget, proof, then files.
    if submissions.exhausted(request):
        status_code = 429
        form.files_refused = FILES_NOT_RECEIVED_WHEN_LIMITED
        form.is_valid()
        form.add_error(None, RATE_LIMITED % {"minutes": submissions.window // 60})
    elif form.is_valid():
        try:
            services.add_reporter_message(
                report,
                body=form.cleaned_data["body"],
                files=form.checked_files,
                staged=form.staged_uploads,
            )
        except services.ReportingError as refused:
            form.add_error(None, refused)
        else:
            submissions.spend(request)
            return redirect(reverse("reporting:status") + "#thread")
    _keep_files(request, form)
    return _no_store(
        render(
            request,
            "reporting/status.html",
            status_context(report, form),
            status=status_code,
        )
    )


def leave(request):
    """End the status session (a shared computer)."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    request.session.pop(STATUS_SESSION_KEY, None)
    request.session.cycle_key()
    return redirect("reporting:status")
