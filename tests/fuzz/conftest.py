"""Fuzzing the public surface (issue #8, security): whatever a client sends,
the answer is never a 500 and nothing half-written stays behind.

Hypothesis runs under the "ci" profile unless HYPOTHESIS_PROFILE names
another: derandomized and without an example database, so that every run
tries the same inputs and a failure is reproduced by running again.
``HYPOTHESIS_PROFILE=deep`` tries many more examples (not for CI).
"""

from __future__ import annotations

import datetime
import os
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from reporting import challenge

_COMMON = {
    "deadline": None,
    "suppress_health_check": [
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
    "print_blob": True,
}
hypothesis_settings.register_profile(
    "ci", derandomize=True, database=None, max_examples=40, **_COMMON
)
hypothesis_settings.register_profile("deep", max_examples=400, **_COMMON)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

#: Examples run per target, collected by the ``examples`` fixture and printed
#: at the end of the session (the issue note reports them).
EXAMPLES: Counter = Counter()


def pytest_terminal_summary(terminalreporter):
    if EXAMPLES:
        terminalreporter.section("fuzz examples per target")
        for target, count in sorted(EXAMPLES.items()):
            terminalreporter.write_line(f"{target}: {count}")
        terminalreporter.write_line(f"total: {sum(EXAMPLES.values())}")


@pytest.fixture
def examples(request):
    """``examples()`` counts one example for the calling test's target."""
    target = request.node.name.split("[")[0].removeprefix("test_")
    return lambda: EXAMPLES.update([target])


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters and used challenges live in the cache."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _own_private_root(settings, tmp_path):
    """Each test stores report files in a directory of its own: the database
    is rolled back after a test, files on disk are not, and the fuzzers
    compare the files with the rows."""
    from django.utils.functional import empty

    from reporting.models import report_storage

    settings.REPORTING_PRIVATE_ROOT = tmp_path / "reports"
    report_storage._wrapped = empty
    yield
    report_storage._wrapped = empty


@pytest.fixture
def proof():
    """A fresh, solved proof of work, as the browser's reporting.js sends it."""
    return lambda: challenge.solve(challenge.issue())


@pytest.fixture
def agency(db):
    from tests.testkit.factories import AgencyFactory

    return AgencyFactory(name="区市场监督管理局")


@pytest.fixture
def site(db):
    """A small public site: the home page, the policy text with its
    articles, an interpretation and a clarification notice published twice
    (so it has an earlier version), under their index pages."""
    from wagtail.models import Page, Site

    from portal.models import HomePage
    from publishing import services
    from publishing.models import ClarificationNoticePage, InterpretationPage

    root = Page.get_first_root_node()
    root.get_children().filter(content_type__app_label="wagtailcore").delete()
    home = HomePage(title="历城区行政执法履职尽责容错纠错平台", slug="home")
    root.add_child(instance=home)
    home.save_revision().publish()
    Site.objects.all().delete()
    Site.objects.create(
        hostname="localhost", port=80, root_page=home, is_default_site=True
    )
    text = (
        Path(settings.BASE_DIR) / "casework/data/licheng_measures_2025.txt"
    ).read_text(encoding="utf-8")
    policy = services.import_policy_text(text).page
    interpretations = services.index_page("interpretations", "政策解读")
    interpretation = InterpretationPage(
        title="容错免责情形解读",
        date=datetime.date(2025, 3, 5),
        summary="第十条列举了应当从轻、减轻处理或者予以免责的情形。",
        body="<p>予以容错免责的，不作为行政执法错误认定。</p>",
        policy=policy,
        article_numbers="10, 11",
    )
    interpretations.add_child(instance=interpretation)
    interpretation.save_revision().publish()
    notices = services.index_page(services.NOTICE_INDEX_SLUG, "澄清正名公告")
    notice = ClarificationNoticePage(
        title="关于张某被举报问题的澄清正名公告",
        body="经查，举报反映张某的问题不属实，予以澄清正名。",
        party_names="张三",
        agency_name="区市场监督管理局",
        date=datetime.date(2025, 10, 1),
    )
    notices.add_child(instance=notice)
    first = notice.save_revision()
    first.publish()
    notice.body += "\n特此公告。"
    notice.change_note = "补充落款"
    notice.save_revision().publish()
    return {
        "home": home,
        "policy": policy,
        "interpretation": interpretation,
        "notice": ClarificationNoticePage.objects.get(pk=notice.pk),
        "notice_first_revision": first,
        "indexes": [interpretations, notices, policy.get_parent().specific],
    }
