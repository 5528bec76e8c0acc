"""The publishing demo content (load_demo): complete, linked, anonymized,
shown on the home page, and unchanged by a second run."""

import pytest
from django.core.management import call_command
from wagtail.models import Page, Revision

from publishing.anonymize import find_leaks
from publishing.models import (
    ClarificationNoticePage,
    InterpretationPage,
    PolicyArticle,
    PolicyDocumentPage,
    StatisticsSnapshot,
    TransparencyStatisticsPage,
)

pytestmark = pytest.mark.django_db


def counts():
    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "articles": PolicyArticle.objects.count(),
        "snapshots": StatisticsSnapshot.objects.count(),
    }


def test_demo_content_is_complete_and_idempotent(client, demo_site):
    policy = PolicyDocumentPage.objects.live().get()
    assert policy.articles.count() == 24
    assert [c["title"] for c in policy.chapters()] == [
        "总则",
        "履职尽责",
        "容错免责",
        "核查纠错",
        "附则",
    ]
    interpretations = InterpretationPage.objects.live()
    assert interpretations.count() == 3
    assert all(p.policy_id == policy.pk and p.article_list for p in interpretations)

    notice = ClarificationNoticePage.objects.live().get()
    assert notice.source_case_id is not None
    names = notice.party_names.splitlines()
    assert names and not find_leaks(f"{notice.title}\n{notice.body}", names)
    assert TransparencyStatisticsPage.objects.live().count() == 1
    assert StatisticsSnapshot.objects.count() == 1

    html = client.get("/").content.decode()
    for title in ["澄清正名公告", "政策解读", "政策文件"]:
        assert f">{title}</h2>" in html
    assert notice.url in html and policy.url in html

    before = counts()
    call_command("load_demo", "--no-index", "--allow-production", verbosity=0)
    assert counts() == before
