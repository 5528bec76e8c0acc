"""Real published measures (publishing/data/measures, SOURCES.md) imported
end to end by import_policy, without hints, field by field against what a
person read in each text (measures_expected.json); re-imports; drafts; the
demo library; the article-by-article version history."""

import datetime
import json
from io import StringIO
from pathlib import Path
from urllib.parse import unquote

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation
from wagtail.models import Revision

from publishing.models import PolicyDocumentPage
from publishing.services import import_policy_text, readable_slug

pytestmark = pytest.mark.django_db

MEASURES = Path(__file__).resolve().parents[2] / "publishing/data/measures"
EXPECTED = json.loads(
    (Path(__file__).with_name("measures_expected.json")).read_text(encoding="utf-8")
)


def _date(value):
    return datetime.date.fromisoformat(value) if value else None


@pytest.mark.parametrize("expected", EXPECTED, ids=[e["file"][:2] for e in EXPECTED])
def test_each_real_measure_imports_right_field_by_field(site_home, expected):
    path = (MEASURES / expected["file"]).resolve()
    out, err = StringIO(), StringIO()
    call_command("import_policy", str(path), stdout=out, stderr=err)
    page = PolicyDocumentPage.objects.get()
    assert page.live, err.getvalue()
    assert page.form == expected["form"]
    assert page.title == expected["title"]
    assert page.issuing_body == expected["issuing_body"]
    assert page.document_number == expected["document_number"]
    assert page.date == _date(expected["issue_date"])
    assert page.effective_date == _date(expected["effective_date"])
    assert page.expiry_date == _date(expected["expiry_date"])
    articles = list(page.articles.all())
    assert len(articles) == expected["articles"]
    assert (
        len({(a.chapter_number, a.chapter_title) for a in articles} - {(0, "")})
        == (expected["chapters"])
    )
    assert articles[0].body.startswith(expected["first_article_start"])
    assert articles[-1].body.startswith(expected["last_article_start"])
    assert [a.number for a in articles] == list(range(1, len(articles) + 1))
    # A readable URL: the title, never bare digits or a generic word.
    assert unquote(page.url) == f"/policies/{readable_slug(page.title)}/"
    assert out.getvalue().strip().endswith(page.url)
    assert not page.slug.isdigit() and page.slug != "policy"
    # Again: nothing changes, no revision is added.
    revisions = Revision.page_revisions.filter(object_id=str(page.pk)).count()
    call_command("import_policy", str(path), stdout=StringIO(), stderr=err)
    assert err.getvalue().splitlines()[-1].startswith("unchanged")
    assert Revision.page_revisions.filter(object_id=str(page.pk)).count() == revisions
    assert PolicyDocumentPage.objects.get().slug == page.slug


def test_two_measures_of_the_same_title_get_distinct_readable_urls(site_home):
    first = import_policy_text("某办法\n济南市甲局\n第一条 甲。\n").page
    assert first.live is False  # no date: a draft, see below
    second = import_policy_text(
        "济南市乙局\n济乙发〔2024〕7号\n某办法\n2024年1月2日\n第一条 乙。\n"
    ).page
    assert first.pk != second.pk
    assert first.slug == "某办法"
    assert second.slug == "某办法-济乙发-2024-7号"


def test_a_field_the_text_lacks_makes_a_draft_naming_it(site_home, tmp_path):
    text = "某某规定\n第一条 甲。\n第二条 乙。\n"
    out, err = StringIO(), StringIO()
    path = tmp_path / "draft.txt"
    path.write_text(text, encoding="utf-8")
    with translation.override("zh-hans"):
        call_command("import_policy", str(path), stdout=out, stderr=err)
    page = PolicyDocumentPage.objects.get()
    assert not page.live
    assert page.articles.count() == 2
    assert "发文机关" in err.getvalue() and "成文日期" in err.getvalue()
    assert out.getvalue().strip() == f"/admin/pages/{page.pk}/edit/"
    # The editor completes the draft and publishes it; importing the same text
    # again keeps what the editor entered and asks nothing more.
    draft = page.get_latest_revision_as_object()
    draft.issuing_body = "某某局"
    draft.date = datetime.date(2024, 1, 2)
    draft.save_revision().publish()
    result = import_policy_text(text)
    assert (result.changed, result.problems) == (False, [])
    assert PolicyDocumentPage.objects.get().issuing_body == "某某局"


def test_a_changed_text_is_a_new_revision_shown_article_by_article(site_home, client):
    original = (MEASURES / EXPECTED[0]["file"]).read_text(encoding="utf-8")
    page = import_policy_text(original).page
    amended = original.replace(
        "第二条 在本省行政区域内开展行政执法监督工作，应当遵守本条例。",
        "第二条 在本省行政区域内开展行政执法监督工作，适用本条例。",
    ).replace(
        "第四十二条 本条例自2015年5月1日起施行。",
        "第四十二条 本条例自2015年5月1日起施行。\n第四十三条 新增的一条。",
    )
    assert amended != original
    result = import_policy_text(amended)
    assert result.page.pk == page.pk and result.changed and result.published
    page.refresh_from_db()
    assert page.slug == "山东省行政执法监督条例"
    assert page.articles.count() == 43
    html = client.get(page.url).content.decode()
    assert "修改第二条；新增第四十三条" in html
    latest = page.published_versions()[0]["revision_id"]
    compare = client.get(f"{page.url}?compare={latest}")
    assert compare.status_code == 200
    body = compare.content.decode()
    assert "<del>应当遵守</del><ins>适用</ins>" in body
    assert "第四十三条（新增）" in body
    assert "第一条" not in body.split("compare-list")[1]
    # The first version has nothing before it; a draft is no version at all.
    first = page.published_versions()[-1]["revision_id"]
    assert client.get(f"{page.url}?compare={first}").status_code == 404
    draft = page.save_revision()
    assert client.get(f"{page.url}?compare={draft.pk}").status_code == 404
    assert client.get(f"{page.url}?compare=x1").status_code == 404


@override_settings(PUBLISHING_DEMO_LIBRARY=True)
def test_the_demo_library_holds_the_provinces_measures(site_home):
    from publishing.demo import DEMO_LIBRARY, load_measure_library
    from publishing.services import POLICY_INDEX_SLUG, POLICY_INDEX_TITLE, index_page

    parent = index_page(POLICY_INDEX_SLUG, POLICY_INDEX_TITLE)
    results = load_measure_library(parent)
    in_demo = [e for e in EXPECTED if e["in_demo"] and not e["file"].startswith("..")]
    assert {r.page.title for r in results} == {e["title"] for e in in_demo}
    assert len(DEMO_LIBRARY) == len(in_demo)
    assert all(r.page.live for r in results)
    again = load_measure_library(parent)
    assert not any(r.changed for r in again)


def test_the_comparison_marks_words_paragraph_by_paragraph():
    from publishing.policydiff import ADDED, CHANGED, REMOVED, article_changes, summary

    same = (2, "第二条", "不变。")
    old = [(1, "第一条", "甲乙丙。\n丁戊。"), same, (3, "第三条", "删去。")]
    new = [(1, "第一条", "甲丙。\n丁戊己。"), same, (4, "第四条", "新。")]
    changes = article_changes(old, new)
    assert [(c.kind, c.number) for c in changes] == [
        (CHANGED, 1),
        (REMOVED, 3),
        (ADDED, 4),
    ]
    assert changes[0].marked_paragraphs() == [
        [("same", "甲"), ("deleted", "乙"), ("same", "丙。")],
        [("same", "丁戊"), ("inserted", "己"), ("same", "。")],
    ]
    assert summary(changes) == (
        (CHANGED, ("第一条",)),
        (ADDED, ("第四条",)),
        (REMOVED, ("第三条",)),
    )
