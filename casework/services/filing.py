"""Filing (立案, Art. 13-14): a case and the persons it concerns."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from audit import audited
from audit.models import Action as AuditAction
from casework import office_rules, validity
from casework.models import (
    CaseOfficer,
    MeasureValidity,
    SupervisionCase,
)
from casework.rules.provenance import OfficeRule
from casework.rules.stages import Stage
from casework.services.common import (
    CASE_NUMBER_FORMAT,
    require,
    require_access,
    require_officer,
    require_open,
)
from casework.services.common import (
    _today as today,
)
from casework.services.time_limits import refresh_deadlines
from portal import clock
from portal.history import records_actor

# --- Filing (立案) --------------------------------------------------------------


@records_actor
@audited(
    AuditAction.CASE_FILE, target=lambda **kw: None, result_target=lambda case: case
)
def file_case(
    *,
    user,
    title: str,
    agency,
    field,
    matter_type: str,
    source: str,
    summary: str,
    officers: Iterable[tuple] = (),
    filed_on: datetime.date | None = None,
    is_major_complex: bool = False,
) -> SupervisionCase:
    """File a supervision case (立案, Art. 13-14) with the persons it concerns.

    Numbers run per year in the office's style, 历城执监〔2025〕第N号.
    """
    require_officer(user)
    filed_on = filed_on or today()
    require(filed_on <= today(), _("The filing date cannot be after today."))
    if office_rules.enabled("filing_within_validity"):
        # Art. 24 gives the measure's period; not filing outside every
        # measure in force is the office's rule (the measure says nothing of
        # cases after it expires).
        known = "；".join(validity.describe(m) for m in MeasureValidity.objects.all())
        require(
            MeasureValidity.objects.in_force_on(filed_on).exists(),
            _(
                "The filing date %(date)s is not within the period of any measure"
                " in force (%(measures)s)"
            )
            % {
                "date": clock.cn_date(filed_on),
                "measures": known
                or _("no measure's period of validity is registered yet"),
            },
            source=OfficeRule("filing_within_validity"),
        )
    for attempt in range(5):
        try:
            with transaction.atomic():
                sequence = (
                    SupervisionCase.objects.filter(year=filed_on.year).aggregate(
                        top=Max("sequence")
                    )["top"]
                    or 0
                ) + 1
                case = SupervisionCase(
                    year=filed_on.year,
                    sequence=sequence,
                    number=CASE_NUMBER_FORMAT.format(
                        year=filed_on.year, sequence=sequence
                    ),
                    title=title,
                    agency=agency,
                    field=field,
                    matter_type=matter_type,
                    source=source,
                    summary=summary,
                    filed_on=filed_on,
                    is_major_complex=is_major_complex,
                    created_by=user,
                )
                # Uniqueness of the number is left to the database, so that a
                # filing that raced for it retries below instead of failing.
                case.full_clean(validate_unique=False)
                case.save()
                for officer, error_type in officers:
                    add_officer(case, officer, error_type=error_type, user=user)
                refresh_deadlines(case)
                return case
        except IntegrityError:
            # Two filings raced for the same number: take the next one.
            if attempt == 4:
                raise
    raise AssertionError("unreachable")


@records_actor
def add_officer(case, officer, *, error_type: str, user) -> CaseOfficer:
    require_officer(user)
    require_access(case, user)
    case = require_open(case)
    require(
        case.stage in (Stage.FILED, Stage.VERIFYING),
        _("Persons concerned can be added only at filing or verification."),
    )
    require(
        officer.agency_id == case.agency_id,
        _("The person concerned must belong to this case's enforcement agency."),
    )
    with transaction.atomic():
        link, created = CaseOfficer.objects.get_or_create(
            case=case,
            officer=officer,
            defaults={"error_type": error_type, "created_by": user},
        )
        require(
            created,
            _("%(name)s is already a person concerned in this case.")
            % {"name": officer.name},
        )
    return link
