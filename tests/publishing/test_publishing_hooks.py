"""What the plugin hands to the others through hooks: search sources, the
periodic report figure, public URLs, home sections."""

import datetime
from pathlib import Path

import pytest
from django.apps import apps
from django.utils import timezone
from wagtail import hooks

from publishing import services
from publishing.models import (
    ClarificationNoticePage,
    InterpretationPage,
    PolicyArticle,
    PolicyDocumentPage,
)

pytestmark = pytest.mark.django_db

POLICY_TEXT = (
    Path(__file__).resolve().parents[2]
    / "casework"
    / "data"
    / "licheng_measures_2025.txt"
).read_text(encoding="utf-8")


def sources():
    found = {}
    for fn in hooks.get_hooks("register_search_sources"):
        for source in fn():
            found[source["key"]] = source
    return found


@pytest.fixture
def published(db):
    policy = services.import_policy_text(POLICY_TEXT).page
    interpretations = services.index_page("interpretations", "政策解读")
    live = InterpretationPage(
        title="解读一",
        slug="one",
        policy=policy,
        article_numbers="16",
        body="<p>正文</p>",
    )
    interpretations.add_child(instance=live)
    live.save_revision().publish()
    draft = InterpretationPage(
        title="草稿解读", slug="draft", body="<p>草稿</p>", live=False
    )
    interpretations.add_child(instance=draft)
    draft.save_revision()
    return policy


def test_search_sources_follow_the_contract(published):
    found = sources()
    assert {key: str(s["label"]) for key, s in found.items()} == {
        "policy": "政策文件",
        "article": "政策条文",
        "interpretation": "政策解读",
        "notice": "澄清正名公告",
    }
    assert found["article"]["model"] is PolicyArticle
    assert found["policy"]["model"] is PolicyDocumentPage
    for source in found.values():
        for obj in source["queryset"]():
            assert isinstance(obj.search_title, str) and obj.search_title
            assert obj.search_url.startswith("/")
            assert obj.search_date is None or isinstance(obj.search_date, datetime.date)
            assert isinstance(obj.search_text, str)
    titles = [p.title for p in found["interpretation"]["queryset"]()]
    assert titles == ["解读一"]

    article = found["article"]["queryset"]().get(number=16)
    assert article.search_title == f"《{published.title}》第十六条"
    assert article.search_url == f"{published.url}#art-16"
    assert "调查人员不得少于两人" in article.search_text


def test_articles_of_an_unpublished_policy_are_not_searchable(published):
    assert sources()["article"]["queryset"]().count() == 24
    published.unpublish()
    assert sources()["article"]["queryset"]().count() == 0
    assert sources()["policy"]["queryset"]().count() == 0


def test_periodic_report_figure_counts_notices_first_published_in_the_period(db):
    index_page = services.index_page("notices", "澄清正名公告")
    for n, day in enumerate([datetime.date(2025, 4, 10), datetime.date(2025, 6, 1)]):
        page = ClarificationNoticePage(
            title=f"澄清正名公告{n}", slug=f"n{n}", body="经查不属实。", live=False
        )
        index_page.add_child(instance=page)
        page.save_revision().publish()
        moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
        ClarificationNoticePage.objects.filter(pk=page.pk).update(
            first_published_at=moment
        )
    draft = ClarificationNoticePage(title="草稿", slug="d", body="草稿", live=False)
    index_page.add_child(instance=draft)

    [fn] = [
        f
        for f in hooks.get_hooks("register_periodic_report_figures")
        if f.__module__.startswith("publishing.")
    ]
    assert fn(datetime.date(2025, 4, 1), datetime.date(2025, 4, 30)) == [
        ("澄清正名公告发布数", 1)
    ]
    assert fn(datetime.date(2025, 4, 10), datetime.date(2025, 6, 1)) == [
        ("澄清正名公告发布数", 2)
    ]
    assert fn(datetime.date(2025, 7, 1), datetime.date(2025, 9, 30)) == [
        ("澄清正名公告发布数", 0)
    ]


def test_plugin_contributions_are_registered():
    found = apps.get_app_config("publishing").contributions()
    assert "/feeds/notices/rss/" in found.public_urls
    assert "/feeds/interpretations/atom/" in found.public_urls
    assert found.demo_content == ["publishing_demo"]
    assert sorted(found.home_sections) == [
        "home_section_interpretation",
        "home_section_notice",
        "home_section_policy",
    ]
