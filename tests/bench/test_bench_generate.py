"""The benchmark's data generator, at a tiny size: the Wagtail tree it writes
by hand is valid, its pages render and are found by search, its cases show
in the permission queryset and its receipts open their reports."""

import io
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.generate_portal import (  # noqa: E402
    check_database_name,
    generate,
    tree_number,
    tree_step,
)


def test_tree_steps_follow_treebeard():
    from wagtail.models import Page

    assert tree_step(1) == "0001"
    assert tree_step(36) == "0010"
    assert tree_step(36**4 - 1) == "ZZZZ"
    assert tree_number(tree_step(20_000)) == 20_000
    assert Page.steplen == 4
    assert Page.alphabet == "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def test_refuses_a_database_not_named_for_the_benchmark():
    with pytest.raises(SystemExit, match="must contain 'bench'"):
        check_database_name("portal")
    check_database_name("portal_bench_1k")


@pytest.fixture
def bench_site(db):
    """The generator's own minimal site (the demo loader is slow and has
    its own tests)."""
    from bench.generate_portal import minimal_site

    minimal_site()


@pytest.fixture
def generated(bench_site):
    out = io.StringIO()
    generate(
        cases=50,
        notices=20,
        policies=3,
        articles=5,
        interpretations=4,
        reports=2,
        officers=40,
        investigators=3,
        stdout=out,
        require_bench_database=False,
    )
    return out.getvalue()


def test_generated_data_is_valid_and_renders(generated, client):
    from wagtail.models import Page

    from casework.models import (
        Assignment,
        CaseOfficer,
        Determination,
        StageChange,
        SupervisionCase,
    )
    from publishing.models import (
        ClarificationNoticePage,
        InterpretationPage,
        PolicyArticle,
        PolicyDocumentPage,
    )
    from reporting.models import Report
    from tests.testkit.factories import SupervisionOfficerFactory

    assert "cases: 50/50" in generated
    # The paths, depths, numchild and url_paths written by hand are what
    # treebeard and Wagtail would have written.
    assert all(problems == [] for problems in Page.find_problems())
    notices = ClarificationNoticePage.objects.filter(slug__startswith="bench-")
    assert notices.live().count() == 20
    policies = PolicyDocumentPage.objects.filter(slug__startswith="bench-")
    assert policies.count() == 3
    assert PolicyArticle.objects.filter(page__in=policies).count() == 15
    assert InterpretationPage.objects.filter(slug__startswith="bench-").count() == 4
    for page in [notices.last(), policies.first(), InterpretationPage.objects.last()]:
        page = Page.objects.get(pk=page.pk)
        assert page.url_path == page.get_parent().url_path + page.slug + "/"
        response = client.get(page.url)
        assert response.status_code == 200
        assert page.title in response.content.decode()

    generated_cases = SupervisionCase.objects.exclude(stage_changes__isnull=True)
    assert SupervisionCase.objects.count() >= 50
    assert generated_cases.exists()
    assert CaseOfficer.objects.count() > 50
    assert Assignment.objects.exists()
    assert StageChange.objects.exists()
    assert Determination.objects.exists()
    # Every generated case, numbered in the office's style, is visible to a
    # supervision officer through the permission queryset.
    officer = SupervisionOfficerFactory()
    visible = SupervisionCase.objects.visible_to(officer)
    assert visible.count() == SupervisionCase.objects.count()
    assert visible.filter(number__startswith="历城执监〔").count() >= 50
    # New rows after the generator get fresh keys (sequences were reset).
    assert Report.objects.count() >= 2


def test_generated_pages_are_found_by_search(generated, client):
    from publishing.models import ClarificationNoticePage

    notices = ClarificationNoticePage.objects.filter(slug__startswith="bench-")
    response = client.get("/search/", {"q": "有关举报情况的澄清公告"})
    assert response.status_code == 200
    content = response.content.decode()
    assert any(f"/{notice.slug}/" in content for notice in notices)


def test_generated_receipts_open_their_reports(bench_site):
    from bench.generate_portal import Generator
    from reporting import services

    gen = Generator(stdout=io.StringIO())
    gen.reference_data(officers=5, investigators=2)
    report, code = gen.report_with_receipt()
    assert services.find_by_receipt(code) == report
