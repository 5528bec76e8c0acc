"""The casework service layer: every write to a case goes through here.

Each function checks the rules (casework.rules, pure) and the actor's role,
then writes in one transaction, so a refused or failed operation leaves
nothing half-saved. Views and forms call these functions and show the
``CaseworkError`` messages, which are in Chinese, to the user.

The functions live in one module per stage of the procedure; this package
re-exports the public API so that ``from casework import services`` and
``services.<name>`` keep working for every plugin. Names with a leading
underscore stay private to the package.
"""

from casework.calendar import holiday_calendar
from casework.services.common import (
    CASE_NUMBER_FORMAT,
    CaseworkError,
    refuse,
    require,
    require_access,
    require_head,
    require_officer,
    require_open,
    today,
)
from casework.services.correction import (
    decide_correction_extension,
    order_correction,
    report_correction_progress,
    request_correction_extension,
    verify_correction,
)
from casework.services.decision import (
    TOLERANT_OUTCOMES,
    decide_extension,
    determine,
    prior_determinations,
    prior_exemptions,
    record_notification,
    request_extension,
)
from casework.services.filing import (
    add_officer,
    file_case,
)
from casework.services.investigation import (
    add_attachment,
    assign_investigator,
    decide_recusal,
    finish_appraisal,
    record_activity,
    record_hearing,
    record_statement,
    record_transfer_result,
    recused_user_ids,
    request_recusal,
    schedule_hearing,
    set_joint_investigation,
    transfer_to_agency,
)
from casework.services.review import (
    decide_review,
    may_decide_review,
    request_review,
)
from casework.services.time_limits import (
    UNCONFIRMED_NOTE,
    Period,
    approved_extension_days,
    case_periods,
    deadlines,
    decision_deadline,
    next_due,
    overdue_keys,
    paused_days,
    period_prefetches,
    refresh_deadlines,
)
from casework.services.transition import (
    archive_missing,
    case_facts,
    may_move,
    record_act_finding,
    transition,
)

__all__ = [
    "CASE_NUMBER_FORMAT",
    "TOLERANT_OUTCOMES",
    "UNCONFIRMED_NOTE",
    "CaseworkError",
    "Period",
    "add_attachment",
    "add_officer",
    "approved_extension_days",
    "archive_missing",
    "assign_investigator",
    "case_facts",
    "case_periods",
    "deadlines",
    "decide_correction_extension",
    "decide_extension",
    "decide_recusal",
    "decide_review",
    "decision_deadline",
    "determine",
    "file_case",
    "finish_appraisal",
    "holiday_calendar",
    "may_decide_review",
    "may_move",
    "next_due",
    "order_correction",
    "overdue_keys",
    "paused_days",
    "period_prefetches",
    "prior_determinations",
    "prior_exemptions",
    "record_act_finding",
    "record_activity",
    "record_hearing",
    "record_notification",
    "record_statement",
    "record_transfer_result",
    "recused_user_ids",
    "refresh_deadlines",
    "refuse",
    "report_correction_progress",
    "request_correction_extension",
    "request_extension",
    "request_recusal",
    "request_review",
    "require",
    "require_access",
    "require_head",
    "require_officer",
    "require_open",
    "schedule_hearing",
    "set_joint_investigation",
    "today",
    "transfer_to_agency",
    "transition",
    "verify_correction",
]
