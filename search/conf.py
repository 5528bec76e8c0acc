"""The search plugin's settings (merged by portal/settings/plugin_settings.py).

Both backends segment Chinese text with jieba (search/segment.py) at index
and query time; PostgreSQL uses the "simple" text-search configuration.
Without this plugin the portal keeps Wagtail's own database backend and
django-tasks' immediate backend.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def plugin_settings(portal: Mapping[str, Any]) -> dict[str, Any]:
    # ELASTICSEARCH_URL and ELASTICSEARCH_INDEX are the portal's: a backing
    # service like Redis, which /healthz probes.
    url = portal.get("ELASTICSEARCH_URL", "")
    database = {"BACKEND": "search.backends.database", "SEARCH_CONFIG": "simple"}
    if url:
        backends = {
            "default": {
                "BACKEND": "search.backends.elasticsearch",
                "URLS": [url],
                "INDEX_PREFIX": f"{portal.get('ELASTICSEARCH_INDEX', 'portal')}-",
                "TIMEOUT": 5,
                "OPTIONS": {},
                "INDEX_SETTINGS": {},
            },
            # Kept current beside Elasticsearch and searched while it is down
            # (search/fallback.py).
            "database": database,
        }
    else:
        backends = {"default": database}
    return {
        "WAGTAILSEARCH_BACKENDS": backends,
        # Index updates (Wagtail's django-tasks) run in the django-q2 cluster;
        # other django-tasks tasks run immediately, as before.
        "TASKS": {"default": {"BACKEND": "search.tasks.IndexingTaskBackend"}},
    }
