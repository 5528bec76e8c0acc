"""Policy documents: import_policy, articles with anchors, validity, history."""

import datetime
from io import StringIO
from pathlib import Path
from urllib.parse import unquote

import pytest
from django.core.management import CommandError, call_command
from wagtail.models import Revision

from publishing.models import (
    InterpretationPage,
    PolicyArticle,
    PolicyDocumentPage,
    PublicationIndexPage,
    Validity,
)

pytestmark = pytest.mark.django_db

POLICY_TEXT = (
    Path(__file__).resolve().parents[2] / "casework/data/licheng_measures_2025.txt"
)

OTHER_MEASURE = """\
济南市历城区人民政府办公室
济历城政办字〔2024〕3号
2024年6月20日
历城区行政执法公示办法
第一章　总　　则
第一条 为了规范行政执法公示工作,根据有关规定,制定本办法。
第二章  公示内容
第二条  行政执法机关应当公示下列信息:
(一)执法主体、人员;
(二)职责、依据.
第三章 附 则
第三条  本办法自2024年7月1日起施行,有效期5年。
"""


def test_import_policy_on_a_freshly_migrated_database_prints_the_url():
    # Only what the migrations made: Wagtail's welcome page is the site root.
    out = StringIO()
    call_command("import_policy", str(POLICY_TEXT), stdout=out, stderr=StringIO())
    url = out.getvalue().strip()
    page = PolicyDocumentPage.objects.get()
    assert url == page.full_url
    assert unquote(url).endswith(
        "/policies/历城区行政执法履职尽责容错纠错实施办法-试行/"
    )
    assert page.live
    assert page.document_number == "济历城政发〔2025〕1号"
    assert page.articles.count() == 24
    assert [c["title"] for c in page.chapters()] == [
        "总则",
        "履职尽责",
        "容错免责",
        "核查纠错",
        "附则",
    ]


def test_import_policy_on_the_demo_site_is_repeatable(policy_page, client):
    revisions = Revision.page_revisions.filter(object_id=str(policy_page.pk)).count()
    out = StringIO()
    call_command("import_policy", str(POLICY_TEXT), stdout=out, stderr=StringIO())
    assert out.getvalue().strip() == policy_page.full_url
    assert PolicyDocumentPage.objects.count() == 1
    assert (
        Revision.page_revisions.filter(object_id=str(policy_page.pk)).count()
        == revisions
    )
    response = client.get(policy_page.url)
    assert response.status_code == 200


def test_import_policy_handles_another_measure(site_home, tmp_path):
    path = tmp_path / "other.txt"
    path.write_text(OTHER_MEASURE, encoding="gb18030")
    out = StringIO()
    call_command("import_policy", str(path), stdout=out, stderr=StringIO())
    page = PolicyDocumentPage.objects.get(document_number="济历城政办字〔2024〕3号")
    assert page.issuing_body == "济南市历城区人民政府办公室"
    assert page.title == "历城区行政执法公示办法"
    assert page.expiry_date == datetime.date(2029, 6, 30)
    assert page.date == datetime.date(2024, 6, 20)
    assert page.live
    second = page.articles.get(number=2)
    assert second.anchor == "art-2"
    assert second.paragraphs()[1:] == ["（一）执法主体、人员；", "（二）职责、依据。"]
    assert unquote(out.getvalue().strip()).endswith("/policies/历城区行政执法公示办法/")


def test_import_policy_refuses_bad_input_in_chinese(site_home, tmp_path):
    path = tmp_path / "bad.txt"
    path.write_text("这不是一份规范性文件。", encoding="utf-8")
    with pytest.raises(CommandError, match="未找到"):
        call_command("import_policy", str(path), stdout=StringIO(), stderr=StringIO())
    with pytest.raises(CommandError, match="文件不存在"):
        call_command("import_policy", str(tmp_path / "missing.txt"))


def test_every_article_is_addressable_with_its_items_intact(policy_page, client):
    html = client.get(policy_page.url).content.decode()
    for number in range(1, 25):
        assert f'id="art-{number}"' in html
    article = policy_page.articles.get(number=12)
    assert article.label == "第十二条"
    assert len([p for p in article.paragraphs() if p.startswith("（")]) == 7
    assert "（五）行政执法工作中，因主观原因在同一问题上重复出现失误" in html
    assert "济历城政发〔2025〕1号" in html


def test_article_rows_are_searchable_the_way_search_reads_them(policy_page):
    article = PolicyArticle.objects.public().get(number=16)
    assert (
        article.search_title
        == "《历城区行政执法履职尽责容错纠错实施办法（试行）》第十六条"
    )
    assert article.search_url == f"{policy_page.url}#art-16"
    assert article.search_date == datetime.date(2025, 2, 21)
    assert "回避" in article.search_text
    assert policy_page.search_date == datetime.date(2025, 2, 21)
    policy_page.unpublish()
    assert not PolicyArticle.objects.public().exists()


@pytest.mark.parametrize(
    ("today", "state"),
    [
        (datetime.date(2025, 2, 28), Validity.NOT_YET),
        (datetime.date(2025, 3, 1), Validity.IN_FORCE),
        (datetime.date(2027, 2, 28), Validity.IN_FORCE),
        (datetime.date(2027, 3, 1), Validity.EXPIRED),
    ],
)
def test_validity_follows_article_24(policy_page, today, state):
    assert policy_page.validity(today) == state


def _interpretation(policy_page, title, numbers):
    index = PublicationIndexPage.objects.get(slug="policies")
    page = InterpretationPage(
        title=title,
        policy=policy_page,
        article_numbers=numbers,
        summary="解读摘要",
        body="<p>解读正文</p>",
        date=datetime.date(2025, 3, 1),
    )
    index.add_child(instance=page)
    page.save_revision().publish()
    return page


def test_policy_page_query_count_does_not_grow_with_interpretations(
    policy_page, client, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from portal import pagecache

    def uncached_text():
        # Every request after a publication reads the text, the version
        # history and the menu from the database once: compared miss to miss.
        client.get(policy_page.url)
        pagecache.purge()

    _interpretation(policy_page, "解读一", "16")
    uncached_text()
    with CaptureQueriesContext(connection) as one:
        assert client.get(policy_page.url).status_code == 200
    count = len(one)  # read now: a request empties the log
    _interpretation(policy_page, "解读二", "9, 10")
    _interpretation(policy_page, "解读三", "22")
    uncached_text()
    with django_assert_max_num_queries(count):
        html = client.get(policy_page.url).content.decode()
    assert "解读三" in html


def test_interpretations_validate_their_articles(policy_page):
    from django.core.exceptions import ValidationError

    page = InterpretationPage(
        title="解读", policy=policy_page, article_numbers="16，99", body="<p>x</p>"
    )
    with pytest.raises(ValidationError, match="99"):
        page.clean()
    page.article_numbers = "十六"
    with pytest.raises(ValidationError):
        page.clean()
    page.article_numbers = "16、9 ,16"
    page.clean()
    assert page.article_numbers == "16, 9"
    assert [a.number for a in page.linked_articles()] == [16, 9]


def test_public_version_history_and_earlier_versions(policy_page, client):
    page = PolicyDocumentPage.objects.get(pk=policy_page.pk)
    first_live = page.live_revision_id
    page.title = "历城区行政执法履职尽责容错纠错实施办法（试行，修订）"
    page.change_note = "更正标题"
    page.save_revision().publish()
    page.title = "未发布的草稿标题"
    draft = page.save_revision()

    page = PolicyDocumentPage.objects.get(pk=page.pk)
    versions = page.published_versions()
    assert [v["change_note"] for v in versions] == ["更正标题", "首次发布"]
    assert versions[0]["is_current"] and not versions[1]["is_current"]

    old = client.get(page.url, {"version": first_live})
    assert old.status_code == 200
    assert "历城区行政执法履职尽责容错纠错实施办法（试行）" in old.content.decode()
    assert client.get(page.url, {"version": draft.pk}).status_code == 404
    for bad in ["abc", "-1", "9" * 40, ""]:
        assert client.get(page.url, {"version": bad}).status_code == 404
    assert "未发布的草稿标题" not in client.get(page.url).content.decode()


def _set_article_16(page, body: str) -> None:
    articles = list(page.articles.all())
    next(a for a in articles if a.number == 16).body = body
    page.articles = articles  # in the page's cluster, so its revision has it


def _article_16_body(html: str) -> str:
    return html.split('id="art-16"')[1].split('id="art-17"')[0]


def test_kept_text_follows_publications_and_never_serves_a_preview(policy_page, client):
    """The text, contents and version history are kept in the cache for
    the readers of the published page (portal.pagecache.remembered): a
    republished article shows at once, an earlier version and an editor's
    preview show their own text, never the kept one."""
    from django.test import RequestFactory

    from portal import pagecache

    first_live = policy_page.live_revision_id
    client.get(policy_page.url)  # kept
    assert pagecache.remembered(
        f"publishing:versions:{policy_page.pk}", lambda: pytest.fail("not kept")
    )
    page = PolicyDocumentPage.objects.get(pk=policy_page.pk)
    _set_article_16(page, "本条修订后的文字。")
    page.change_note = "修订第十六条"
    page.save_revision().publish()

    html = client.get(page.url).content.decode()
    assert "本条修订后的文字。" in _article_16_body(html)
    assert "修订第十六条" in html  # the version history, renewed too
    old = client.get(page.url, {"version": first_live}).content.decode()
    assert "本条修订后的文字。" not in _article_16_body(old)
    assert "容错" in _article_16_body(old)

    client.get(page.url)  # kept again
    draft = PolicyDocumentPage.objects.get(pk=page.pk)
    _set_article_16(draft, "尚未发布的草稿文字。")
    preview = draft.make_preview_request(RequestFactory().get(page.url))
    assert "尚未发布的草稿文字。" in _article_16_body(preview.content.decode())
    assert "尚未发布的草稿文字。" not in client.get(page.url).content.decode()


def test_policy_pages_live_only_under_index_pages(policy_page, site_home):
    index = policy_page.get_parent().specific
    assert PolicyDocumentPage.can_create_at(index)
    assert not PolicyDocumentPage.can_create_at(site_home)
    assert not PolicyDocumentPage.can_create_at(policy_page)


def test_api_v2_serves_the_articles_to_other_systems(policy_page, client):
    response = client.get(
        "/api/v2/pages/",
        {"type": "publishing.PolicyDocumentPage", "fields": "document_number,articles"},
    )
    assert response.status_code == 200
    (item,) = response.json()["items"]
    assert item["document_number"] == "济历城政发〔2025〕1号"
    articles = item["articles"]
    assert [a["number"] for a in articles] == list(range(1, 25))
    assert articles[15]["anchor"] == "art-16"
    assert articles[15]["label"] == "第十六条"
