"""Every write of the reporting channel, each in one transaction (Art. 22).

Views call these; they check who may do what, so that a crafted request
cannot do more than the screens offer.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import audited
from audit.models import Action as AuditAction
from casework import services as casework
from casework.models import CaseSource, Determination, SupervisionCase
from casework.rules.articles import is_exemption
from casework.rules.stages import Stage
from portal.history import acting_as
from reporting import identity, receipts, rules
from reporting.models import (
    IdentityAccess,
    Report,
    ReportAttachment,
    ReportMessage,
    ReportNote,
    StagedUpload,
)
from reporting.uploads import CheckedFile, extension

NUMBER_FORMAT = "历城执监举〔{year}〕{sequence}号"


class ReportingError(ValidationError):
    """A refused action; the message says why, in Chinese."""


def _require(condition: bool, message) -> None:
    if not condition:
        raise ReportingError(message)


def _require_staff(report: Report, user) -> Report:
    """The report, locked, if the user may handle it at all."""
    visible = Report.objects.visible_to(user).filter(pk=report.pk)
    _require(
        user.has_perm("reporting.change_report") and visible.exists(),
        _("You may not handle this report."),
    )
    return Report.objects.select_for_update().get(pk=report.pk)


# --- The public side ------------------------------------------------------------


def submit_report(
    *,
    kind: str,
    name: str = "",
    contact: str = "",
    subject: str,
    description: str,
    agency=None,
    agency_text: str = "",
    persons: str = "",
    occurred_on: datetime.date | None = None,
    place: str = "",
    files: Iterable[CheckedFile] = (),
    staged: Iterable[StagedUpload] = (),
) -> tuple[Report, str]:
    """File a report; returns it with its receipt code, which exists only in
    this return value and the page that shows it once."""
    real_name = kind == Report.Kind.REAL_NAME
    _require(
        kind in Report.Kind.values,
        _("Please choose a report under your name or an anonymous report."),
    )
    if real_name:
        _require(
            bool(name.strip()) and bool(contact.strip()),
            _("A report under your name needs your name and a contact."),
        )
    year = timezone.localdate().year
    for attempt in range(5):
        code = receipts.new_code()
        try:
            with transaction.atomic():
                sequence = (
                    Report.objects.filter(year=year).aggregate(top=Max("sequence"))[
                        "top"
                    ]
                    or 0
                ) + 1
                report = Report.objects.create(
                    year=year,
                    sequence=sequence,
                    number=NUMBER_FORMAT.format(year=year, sequence=sequence),
                    kind=kind,
                    identity_ciphertext=(
                        identity.encrypt(
                            identity.Identity(
                                name=name.strip(), contact=contact.strip()
                            )
                        )
                        if real_name
                        else ""
                    ),
                    receipt_digest=receipts.digest(code),
                    subject=subject.strip(),
                    description=description.strip(),
                    agency=agency,
                    agency_text="" if agency else agency_text.strip(),
                    persons=persons.strip(),
                    occurred_on=occurred_on,
                    place=place.strip(),
                )
                _attach(report, None, files, staged)
                return report, code
        except IntegrityError:
            # Two reports raced for a number (or, once in 10^15, a code).
            if attempt == 4:
                raise
    raise AssertionError("unreachable")


def find_by_receipt(code: str) -> Report | None:
    """The report a (normalized) receipt code opens, or None. One digest and
    one indexed query whether or not the code exists: the same cost and the
    same answer for a wrong code as for a missing report."""
    return Report.objects.filter(receipt_digest=receipts.digest(code)).first()


def add_reporter_message(
    report: Report,
    *,
    body: str,
    files: Iterable[CheckedFile] = (),
    staged: Iterable[StagedUpload] = (),
) -> ReportMessage:
    """The reporter adds information or answers the office (Art. 22)."""
    _require(bool(body.strip()), _("Please write what you want to add."))
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report.pk)
        _require(
            report.closed_at is None,
            _("This report is closed: nothing more can be added to it."),
        )
        message = ReportMessage.objects.create(
            report=report, author=ReportMessage.Author.REPORTER, body=body.strip()
        )
        _attach(report, message, files, staged)
        report.reporter_wrote_at = message.created_at
        report.save(update_fields=["reporter_wrote_at"])
        return message


def stage_upload(checked: CheckedFile) -> StagedUpload:
    """Keep a checked file from a form that failed on something else."""
    staged = StagedUpload(
        original_name=checked.name,
        content_type=checked.content_type,
        size=checked.size,
    )
    staged.file.save(
        _stored_name(checked.name), ContentFile(checked.content), save=False
    )
    staged.save()
    return staged


def purge_staged_uploads(older_than: datetime.timedelta) -> int:
    """Delete unclaimed staged files (run daily by the task cluster)."""
    cutoff = timezone.now() - older_than
    count = 0
    for staged in StagedUpload.objects.filter(created_at__lt=cutoff):
        staged.file.delete(save=False)
        staged.delete()
        count += 1
    return count


def _stored_name(original: str) -> str:
    # Stored under a random name: the reporter's file name may itself say
    # too much, and must never become a path.
    return f"{uuid.uuid4().hex}.{extension(original)}"


def _attach(report, message, files, staged) -> None:
    for checked in files:
        attachment = ReportAttachment(
            report=report,
            message=message,
            original_name=checked.name,
            content_type=checked.content_type,
            size=checked.size,
        )
        attachment.file.save(
            _stored_name(checked.name), ContentFile(checked.content), save=False
        )
        attachment.save()
    for item in staged:
        ReportAttachment.objects.create(
            report=report,
            message=message,
            file=item.file.name,
            original_name=item.original_name,
            content_type=item.content_type,
            size=item.size,
        )
        # The row goes; the file now belongs to the attachment.
        StagedUpload.objects.filter(pk=item.pk).delete()


# --- The staff side -------------------------------------------------------------


@audited(
    AuditAction.REPORT_IDENTITY_REVEAL,
    detail=lambda result, kw: {"purpose": kw["purpose"].strip()[:200]},
)
def reveal_identity(report: Report, *, user, purpose: str) -> identity.Identity:
    """Show a real-name reporter's identity to a user entitled to it, and
    write the access to the audit log first (Art. 22 protects reporters)."""
    _require(report.is_real_name, _("An anonymous report has no reporter identity."))
    _require(
        user.has_perm("reporting.view_reporter_identity")
        and Report.objects.visible_to(user).filter(pk=report.pk).exists(),
        _("You may not see the reporter's identity."),
    )
    _require(
        len(purpose.strip()) >= 4,
        _(
            "Please say why you need to see the reporter's identity (4 characters at "
            "least)."
        ),
    )
    with transaction.atomic():
        IdentityAccess.objects.create(report=report, user=user, purpose=purpose.strip())
    return identity.decrypt(report.identity_ciphertext)


@audited(
    AuditAction.REPORT_TRIAGE,
    detail=lambda result, kw: {"disposition": "new_case", "case": result.pk},
)
def triage_new_case(
    report: Report,
    *,
    user,
    title: str,
    agency,
    field,
    matter_type: str,
    summary: str,
    filed_on: datetime.date | None = None,
) -> SupervisionCase:
    """File a supervision case from the report (立案, Art. 13-14)."""
    with transaction.atomic():
        report = _require_staff(report, user)
        _require(
            report.disposition == Report.Disposition.PENDING,
            _("This report has already been dealt with: a case cannot be filed twice."),
        )
        case = casework.file_case(
            user=user,
            title=title,
            agency=agency,
            field=field,
            matter_type=matter_type,
            source=CaseSource.REPORT,
            summary=summary,
            filed_on=filed_on,
        )
        _mark_triaged(report, user, Report.Disposition.NEW_CASE, case)
        return case


@audited(
    AuditAction.REPORT_TRIAGE,
    detail=lambda result, kw: {
        "disposition": "attached",
        "case": kw["case"].pk,
    },
)
def attach_to_case(report: Report, *, user, case: SupervisionCase) -> Report:
    """The report concerns a case already open: join it to that case."""
    with transaction.atomic():
        report = _require_staff(report, user)
        _require(
            report.disposition == Report.Disposition.PENDING,
            _("This report has already been dealt with."),
        )
        _require(
            SupervisionCase.objects.visible_to(user).filter(pk=case.pk).exists(),
            _("You may not see this case."),
        )
        _require(
            case.stage != Stage.ARCHIVED,
            _("This case is archived: please file a new case."),
        )
        _mark_triaged(report, user, Report.Disposition.ATTACHED, case)
        return report


@audited(
    AuditAction.REPORT_TRIAGE,
    detail=lambda result, kw: {"disposition": "closed"},
)
def close_without_case(report: Report, *, user, reason: str, feedback: str) -> Report:
    """Close a report that does not call for a case, with the reason, and the
    answer the reporter will read."""
    _require(bool(reason.strip()), _("Please give the reason for not filing a case."))
    _require(bool(feedback.strip()), _("Please write the feedback to the reporter."))
    with transaction.atomic():
        report = _require_staff(report, user)
        _require(
            report.disposition == Report.Disposition.PENDING,
            _("This report has already been dealt with."),
        )
        _mark_triaged(report, user, Report.Disposition.CLOSED, None)
        now = timezone.now()
        report.close_reason = reason.strip()
        report.feedback = feedback.strip()
        report.feedback_released_at = now
        report.closed_at = now
        with acting_as(user):
            report.save()
        return report


def _mark_triaged(report, user, disposition, case) -> None:
    report.disposition = disposition
    report.case = case
    report.triaged_at = timezone.now()
    report.triaged_by = user
    with acting_as(user):
        report.save()


@audited(
    AuditAction.REPORT_OUTCOME,
    detail=lambda result, kw: {
        "outcome": result.outcome,
        "released": bool(kw.get("release")),
    },
)
def record_outcome(
    report: Report,
    *,
    user,
    outcome: str,
    feedback: str,
    explained_where: str = "",
    explained_to: str = "",
    explained_on: datetime.date | None = None,
    clarification_warranted: bool = False,
    clarification_reason: str = "",
    release: bool = False,
) -> Report:
    """Record how the report turned out (Art. 22) and, when ``release``, let
    the reporter read the feedback on the status page.

    The result is the case's decision (Art. 17; reading
    ``report_result_is_decision``): an outcome may be drafted earlier, but it
    is released only once the case is decided, and "容错免责" only where an
    exemption was determined (reading ``exemption_meaning``)."""
    problems = rules.outcome_problems(
        real_name=report.is_real_name,
        outcome=outcome,
        feedback=feedback,
        explained_where=explained_where,
        explained_to=explained_to,
        explained_on=explained_on,
        clarification_warranted=clarification_warranted,
        clarification_reason=clarification_reason,
        today=timezone.localdate(),
    )
    _require(
        outcome in Report.Outcome.values or not outcome,
        _("The outcome of the verification is not valid."),
    )
    if problems:
        raise ReportingError(problems)
    with transaction.atomic():
        report = _require_staff(report, user)
        _require(
            report.case_id is not None,
            _(
                "File a case or join an existing one before recording the outcome of "
                "the verification."
            ),
        )
        _require(report.closed_at is None, _("This report is closed."))
        case = SupervisionCase.objects.get(pk=report.case_id)
        decided = case.stage in rules.DECIDED_STAGES and case.decided_on is not None
        release_problems = rules.release_problems(
            outcome=outcome,
            has_case=True,
            case_decided=decided,
            exemptions_determined=_exemptions_determined(case),
        )
        if release or decided:
            # Before the decision a draft may say anything; once decided, or
            # when released, it must agree with the determinations.
            _require(not release_problems, release_problems)
        report.outcome = outcome
        report.feedback = feedback.strip()
        report.explained_where = explained_where.strip()
        report.explained_to = explained_to.strip()
        report.explained_on = explained_on
        report.clarification_warranted = clarification_warranted
        report.clarification_reason = clarification_reason.strip()
        report.outcome_recorded_at = timezone.now()
        report.outcome_recorded_by = user
        if release:
            report.feedback_released_at = report.outcome_recorded_at
        with acting_as(user):
            report.save()
        return report


def _exemptions_determined(case) -> int:
    """Persons exempted (容错免责) in the case's current decision round."""
    return sum(
        1
        for outcome in Determination.objects.filter(
            case_officer__case=case, round=case.decision_round
        ).values_list("outcome", flat=True)
        if is_exemption(outcome)
    )


@audited(AuditAction.REPORT_CLOSE)
def close_report(report: Report, *, user) -> Report:
    """办结: the outcome is recorded and the feedback released."""
    with transaction.atomic():
        report = _require_staff(report, user)
        _require(report.closed_at is None, _("This report is closed."))
        _require(
            bool(report.outcome), _("Record the outcome of the verification first.")
        )
        _require(
            report.feedback_released_at is not None,
            _("Release the feedback to the reporter before closing the report."),
        )
        report.closed_at = timezone.now()
        with acting_as(user):
            report.save()
        return report


def post_office_message(report: Report, *, user, body: str) -> ReportMessage:
    """A question or message to the reporter, signed by the office."""
    _require(bool(body.strip()), _("Please write the message to the reporter."))
    with transaction.atomic():
        report = _require_staff(report, user)
        _require(report.closed_at is None, _("This report is closed."))
        message = ReportMessage.objects.create(
            report=report,
            author=ReportMessage.Author.OFFICE,
            staff_user=user,
            body=body.strip(),
        )
        report.office_wrote_at = message.created_at
        report.save(update_fields=["office_wrote_at"])
        return message


def add_note(report: Report, *, user, body: str) -> ReportNote:
    _require(bool(body.strip()), _("Please write the note."))
    with transaction.atomic():
        report = _require_staff(report, user)
        return ReportNote.objects.create(report=report, author=user, body=body.strip())
