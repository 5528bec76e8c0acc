"""Rich text never carries script: not when it is saved around the editor
(import, API, shell, a restored database), not on the public pages, not in
the admin's revision views (portal/sanitize.py)."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth import get_user_model
from django.template.loader import get_template
from django.test import Client
from django.urls import reverse
from wagtail.models import Revision
from wagtail.templatetags.wagtailcore_tags import richtext

from portal.sanitize import clean_db_html, clean_html

MARK = "安全标记"
NASTY = (
    f"<p>{MARK}</p>"
    '<p><a href="javascript:alert(1)">js</a>'
    '<a href="jav&#x09;ascript:alert(2)">tab</a>'
    '<a href=" JAVASCRIPT:alert(3)">upper</a>'
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCg0KTwvc2NyaXB0Pg==">data</a>'
    '<a href="vbscript:msgbox(5)">vb</a></p>'
    "<script>alert(6)</script>"
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>"
    '<img src="x" onerror="alert(7)">'
    '<img src="data:image/svg+xml,<svg onload=alert(8)>">'
    '<p onclick="alert(9)" style="background:url(javascript:alert(10))">click</p>'
    '<iframe src="https://evil.example/"></iframe>'
    '<object data="x.swf"></object><embed src="x.swf">'
    "<svg><script>alert(11)</script></svg>"
    '<form action="https://evil.example/"><input name="q"></form>'
    "<style>body{display:none}</style>"
    '<a href="https://example.org/">ok</a>'
    '<math><mtext><table><mglyph><style><img src=x onerror="alert(12)">'
)
FORBIDDEN = (
    "<script",
    "javascript:",
    "vbscript:",
    "data:",
    "onerror",
    "onclick",
    "onload",
    "<iframe",
    "<object",
    "<svg",
    "<form",
    "<style",
    "style=",
    "alert(",
)


def assert_clean(html: str) -> None:
    lowered = html.lower()
    for needle in FORBIDDEN:
        assert needle not in lowered, f"{needle!r} survived in {html!r}"


def rich_text_of(html: str) -> str:
    """The rendered rich text block of a page (its first one)."""
    assert "rich-text" in html
    return html.split("rich-text", 1)[1].split("</div>", 1)[0]


def test_output_keeps_what_draftail_makes():
    html = (
        "<h2>标题</h2><p>一段<b>加粗</b>和<i>斜体</i><br>换行</p>"
        "<ol><li>一</li></ol><ul><li>二</li></ul>"
        '<p><a href="/policy/doc-2025-1/#art-16">第十六条</a>'
        '<a href="https://www.jinan.gov.cn/">济南</a>'
        '<a href="mailto:office@example.org">邮件</a></p>'
        '<img alt="图" class="richtext-image left" height="10"'
        ' src="/media/images/a.png" width="10">'
    )
    assert clean_html(html) == html


def test_output_drops_every_payload():
    cleaned = clean_html(NASTY)
    assert_clean(cleaned)
    assert MARK in cleaned
    assert '<a href="https://example.org/">ok</a>' in cleaned


def test_storage_format_keeps_wagtail_entities():
    stored = (
        '<p data-block-key="k1">见<a linktype="page" id="3">第三条</a></p>'
        '<embed alt="图" embedtype="image" format="left" id="7"/>'
    )
    assert clean_db_html(stored) == stored
    assert_clean(clean_db_html(NASTY))


def test_richtext_filter_and_block_render_through_the_sanitizer():
    """Wagtail's |richtext and RichTextBlock both use this template."""
    from wagtail.blocks import RichTextBlock

    origin = get_template("wagtailcore/shared/richtext.html").origin.name
    assert "site-packages" not in origin, "the project's override is used"
    assert_clean(str(richtext(NASTY)))
    block = RichTextBlock()
    assert_clean(str(block.render(block.to_python(NASTY))))


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser(
        "root", "root@example.org", "correct horse battery staple"
    )


def test_saved_rich_text_is_cleaned(demo_site):
    """Saved around the editor (as import_policy, the API or a shell would):
    the stored value is already clean, so the API hands out clean HTML."""
    from publishing.models import InterpretationPage

    demo_site.intro = NASTY
    demo_site.save()
    demo_site.refresh_from_db()
    assert_clean(demo_site.intro)
    assert MARK in demo_site.intro
    page = InterpretationPage.objects.live().first()
    page.body = NASTY
    page.save()
    api = Client().get(f"/api/v2/pages/{page.pk}/?fields=body")
    assert api.status_code == 200
    assert MARK in json.loads(api.content)["body"]
    assert_clean(json.loads(api.content)["body"])


def test_public_pages_render_clean_html_from_a_dirty_database(demo_site):
    """Written straight into the table (a restore, raw SQL): the page
    template still renders it clean."""
    from publishing.models import InterpretationPage

    type(demo_site).objects.filter(pk=demo_site.pk).update(intro=NASTY)
    interpretation = InterpretationPage.objects.live().first()
    InterpretationPage.objects.filter(pk=interpretation.pk).update(body=NASTY)
    client = Client()
    for url in ("/", interpretation.url):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert MARK in html, url
        assert_clean(rich_text_of(html))


def test_admin_revision_views_render_clean_html(demo_site, superuser):
    """The admin's view of an old revision and the comparison of two render
    stored revisions (not cleaned on save): still nothing runs."""
    from publishing.models import InterpretationPage

    page = InterpretationPage.objects.live().first()
    first = page.save_revision()
    second = page.save_revision()
    content = dict(second.content)
    content["body"] = NASTY
    Revision.objects.filter(pk=second.pk).update(content=content)
    client = Client()
    client.force_login(superuser)
    view = client.get(
        reverse("wagtailadmin_pages:revisions_view", args=[page.pk, second.pk])
    )
    assert view.status_code == 200
    html = view.content.decode()
    assert MARK in html
    assert_clean(rich_text_of(html))
    compare = client.get(
        reverse(
            "wagtailadmin_pages:revisions_compare",
            args=[page.pk, first.pk, second.pk],
        )
    )
    assert compare.status_code == 200
    compared = compare.content.decode().lower()
    # The admin page has SVG icons of its own: look for the payload's.
    for needle in ("<script>alert", "<iframe", 'onerror="', "<svg onload", "<svg><"):
        assert needle not in compared, needle
