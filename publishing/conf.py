"""The publishing plugin's settings (merged by portal/settings/plugin_settings.py)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from portal.settings.env import env_bool, env_int


def plugin_settings(portal: Mapping[str, Any]) -> dict[str, Any]:
    # Transparency statistics: no group smaller than this is shown, so that a small
    # count cannot point at a person. An office rule (本机构工作规则): the measure
    # says nothing about published statistics (publishing/statistics.py).
    PUBLISHING_STATISTICS_MIN_GROUP = env_int(
        "PUBLISHING_STATISTICS_MIN_GROUP",
        5,
        doc="smallest group shown in public statistics",
    )
    # The demo's policy library: the Shandong and Jinan measures shipped in
    # publishing/data/measures, imported by load_demo beside the office's
    # own measure (a few seconds; the test settings leave it to its own test).
    PUBLISHING_DEMO_LIBRARY = env_bool(
        "PUBLISHING_DEMO_LIBRARY",
        True,
        doc="load_demo imports the province's published measures too",
    )
    return {
        "PUBLISHING_STATISTICS_MIN_GROUP": PUBLISHING_STATISTICS_MIN_GROUP,
        "PUBLISHING_DEMO_LIBRARY": PUBLISHING_DEMO_LIBRARY,
    }
