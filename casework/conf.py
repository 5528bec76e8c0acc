"""The casework plugin's settings (merged by portal/settings/plugin_settings.py)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from portal.settings.env import env_bool, env_int, env_str


def plugin_settings(portal: Mapping[str, Any]) -> dict[str, Any]:
    # Case files: outside MEDIA_ROOT, served only by permission-checking views.
    CASEWORK_PRIVATE_ROOT = Path(
        env_str(
            "CASEWORK_PRIVATE_ROOT",
            str(portal["VAR_DIR"] / "private"),
            doc="case files",
        )
    )
    CASEWORK_ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024
    # Office rules (本机构工作规则): choices the measure leaves to the office. Each
    # key is described, with its default and reason, in casework/rules/provenance.py
    # (OFFICE_RULES) and listed for the head under 容错纠错 → 本机构工作规则与理解.
    # A key missing here takes its default; an unknown key fails the system check.
    CASEWORK_OFFICE_RULES = {
        "calendar_days": "自然日",
        "extension_requests_max": env_int(
            "CASEWORK_EXTENSION_REQUESTS_MAX",
            1,
            doc="extension requests per case",
        ),
        "review_decider_independent": env_bool(
            "CASEWORK_REVIEW_DECIDER_INDEPENDENT",
            True,
            doc="review decider independence",
        ),
        "reopened_decision_days": env_int(
            "CASEWORK_REOPENED_DECISION_DAYS",
            30,
            doc="days to decide again after review",
        ),
        "archive_after_review_window": True,
        "decision_signed_by_head": True,
        "hearing_approved_by_head": True,
        "recusal_decided_by_head": True,
        "no_self_approval": True,
        "correction_extension_by_head": True,
        "repeat_finding_required": True,
        "act_finding_before_archive": True,
        "complete_before_determination": True,
        "reopen_only_by_review": True,
        "risk_point_closed_by_head": True,
        "filing_within_validity": env_bool(
            "CASEWORK_FILING_WITHIN_VALIDITY",
            True,
            doc="refuse filings outside validity",
        ),
        "validity_warning_days": env_int(
            "CASEWORK_VALIDITY_WARNING_DAYS", 60, doc="days of expiry banner (Art. 24)"
        ),
        "report_first_review_days": 15,
        "correction_completion_reported": "书面报告",
    }
    return {
        "CASEWORK_PRIVATE_ROOT": CASEWORK_PRIVATE_ROOT,
        "CASEWORK_ATTACHMENT_MAX_BYTES": CASEWORK_ATTACHMENT_MAX_BYTES,
        "CASEWORK_OFFICE_RULES": CASEWORK_OFFICE_RULES,
    }
