"""The publishing plugin's settings (merged by portal/settings/plugin_settings.py)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from portal.settings.env import env_int


def plugin_settings(portal: Mapping[str, Any]) -> dict[str, Any]:
    # Transparency statistics: no group smaller than this is shown, so that a small
    # count cannot point at a person. An office rule (本机构工作规则): the measure
    # says nothing about published statistics (publishing/statistics.py).
    PUBLISHING_STATISTICS_MIN_GROUP = env_int(
        "PUBLISHING_STATISTICS_MIN_GROUP",
        5,
        doc="smallest group shown in public statistics",
    )
    return {
        "PUBLISHING_STATISTICS_MIN_GROUP": PUBLISHING_STATISTICS_MIN_GROUP,
    }
