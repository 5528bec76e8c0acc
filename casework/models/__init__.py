from casework.models.base import CaseRecord, CaseRecordError
from casework.models.case import (
    CaseOfficer,
    CaseSource,
    ErrorType,
    MatterType,
    Recusal,
    StageChange,
    SupervisionCase,
)
from casework.models.decision import (
    CaseDocument,
    Correction,
    CorrectionExtension,
    CorrectionProgress,
    Determination,
    Notification,
    Review,
)
from casework.models.investigation import (
    Activity,
    Assignment,
    Attachment,
    Extension,
    Hearing,
    Statement,
    Transfer,
)
from casework.models.reference import (
    Agency,
    EnforcementField,
    LiaisonAssignment,
    Officer,
)

__all__ = [
    "Activity",
    "Agency",
    "Assignment",
    "Attachment",
    "CaseDocument",
    "CaseOfficer",
    "CaseRecord",
    "CaseRecordError",
    "CaseSource",
    "Correction",
    "CorrectionExtension",
    "CorrectionProgress",
    "Determination",
    "EnforcementField",
    "ErrorType",
    "Extension",
    "Hearing",
    "LiaisonAssignment",
    "MatterType",
    "Notification",
    "Officer",
    "Recusal",
    "Review",
    "StageChange",
    "Statement",
    "SupervisionCase",
    "Transfer",
]
