"""Search test data: the policy text as one page per article, a few notices
and interpretations, registered as search sources the way publishing does."""

import datetime
import re
from pathlib import Path

import pytest
from django.utils import timezone
from django.utils.html import strip_tags
from wagtail import hooks

from search import sources as search_sources

POLICY = Path("/work/shared/policy/000_ef9c8bc9603b305e.txt")
POLICY_FALLBACK = (
    Path(__file__).resolve().parents[2] / "casework/data/licheng_measures_2025.txt"
)
ARTICLE_RE = re.compile(r"^(第[一二三四五六七八九十]+条)\s+(.*)$")

NOTICES = [
    (
        "关于张某被举报问题的澄清正名公告",
        "经查，2025年信访举报反映区市场监督管理局执法人员张某的问题不属实，"
        "现予以澄清正名，消除负面影响。",
        datetime.date(2025, 6, 3),
    ),
    (
        "关于李某执法行为认定结果的公告",
        "经认定，李某在2025年查处无证经营中的程序瑕疵符合容错免责情形，"
        "不作为行政执法错误认定。",
        datetime.date(2025, 9, 18),
    ),
    (
        "关于王某被诬告问题的澄清公告",
        "经调查，2026年针对区城市管理局执法人员王某的举报系诬告，予以澄清。",
        datetime.date(2026, 1, 12),
    ),
]
INTERPRETATIONS = [
    (
        "《历城区行政执法履职尽责容错纠错实施办法》政策解读",
        "本办法明确了履职尽责的九种情形、从轻减轻或者免责的十种情形，"
        "规定了立案、核实、认定、反馈、纠错、归档六个环节。",
        datetime.date(2025, 3, 1),
    ),
]


def policy_articles():
    """(label, text) of the 24 articles of the measures."""
    path = POLICY if POLICY.exists() else POLICY_FALLBACK
    articles, current = [], None
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line:
            continue
        match = ARTICLE_RE.match(line)
        if match:
            current = [match.group(1), match.group(2)]
            articles.append(current)
        elif current and not re.match(r"^第[一二三四五六七八九十]+章", line):
            current[1] += line
        elif current:
            current = None
    return [tuple(a) for a in articles]


def _add(parent, title, text, day=None):
    from django.utils.html import escape

    from portal.models import HomePage

    page = HomePage(title=title, intro=f"<p>{escape(text)}</p>", live=True)
    if day is not None:
        page.first_published_at = timezone.make_aware(
            datetime.datetime.combine(day, datetime.time(9))
        )
    parent.add_child(instance=page)
    return page


@pytest.fixture
def search_corpus(home_page, monkeypatch):
    """Articles, notices and interpretations as pages, indexed on save, and
    registered as the public search sources article/notice/interpretation.

    Only these sources are searched (publishing's own, registered by its
    hook, are measured in test_search_publishing.py), so the measurements do
    not move when publishing's demo content does."""
    from portal.models import HomePage

    sections = {
        key: _add(home_page, title, "")
        for key, title in (
            ("article", "政策条文"),
            ("notice", "澄清正名公告"),
            ("interpretation", "政策解读"),
        )
    }
    for label, text in policy_articles():
        _add(sections["article"], label, text, datetime.date(2025, 2, 21))
    for title, text, day in NOTICES:
        _add(sections["notice"], title, text, day)
    for title, text, day in INTERPRETATIONS:
        _add(sections["interpretation"], title, text, day)

    def source(key, label):
        parent = sections[key]
        return {
            "key": key,
            "label": label,
            "model": HomePage,
            "queryset": lambda: HomePage.objects.live().public().child_of(parent),
            "text": lambda page: strip_tags(page.intro),
        }

    def register():
        return [
            source("article", "政策条文"),
            source("interpretation", "政策解读"),
            source("notice", "澄清正名公告"),
        ]

    with hooks.register_temporarily("register_search_sources", register):
        mine = {d["key"] for d in register()}
        collected = search_sources.public_sources()
        # The hook is what public_sources() reads; keep only ours.
        assert {s.key for s in collected} >= mine
        monkeypatch.setattr(
            search_sources,
            "public_sources",
            lambda: [search_sources.Source.from_dict(d) for d in register()],
        )
        yield sections
