"""The text of a policy document page (chapters, articles, their items and
interpretation links) as HTML, built in Python.

A policy document has dozens of articles and each article several lines; the
template language spent more on that loop than the rest of the page together
(issue #15: the page ran at 1.4x a stock Wagtail page of the same content).
This is the same markup, escaped the same way, in one pass.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from publishing.templatetags.publishing_tags import cn_number, is_item


def _link(url: str, text: str) -> str:
    return f'<a href="{escape(url)}">{escape(text)}</a>'


def chapter_heading(number: int, title: str) -> str:
    """A chapter's heading as the measure writes it: 第X章, a full-width
    space, the title."""
    return f"第{cn_number(number)}章\u3000{title}"


def policy_text_html(
    chapters: Iterable[Mapping],
    interpretations_by_article: Mapping[int, list],
    write_url: Callable[[int], str] | None = None,
) -> SafeString:
    """``chapters`` as ``PolicyDocumentPage.chapters()`` gives them; each
    article lists its interpretations (objects with ``url`` and ``title``);
    ``write_url(number)``, where given, adds 撰写本条解读 to every article."""
    out: list[str] = []
    add = out.append
    link_title = escape(_("Link to this article"))
    related_label = escape(_("Related interpretations:"))
    write_label = escape(_("Write an interpretation of this article"))
    for chapter in chapters:
        if chapter["number"]:
            add(
                f'<h2 id="{escape(chapter["anchor"])}" class="chapter-title">'
                f"{escape(chapter_heading(chapter['number'], chapter['title']))}</h2>"
            )
        for article in chapter["articles"]:
            number = article.number
            label = escape(article.label)
            add(
                f'<section class="article" id="art-{number}" '
                f'aria-labelledby="art-{number}-label">'
                f'<h3 class="article__label" id="art-{number}-label">'
                f'<a href="#art-{number}" title="{link_title}">{label}</a></h3>'
                '<div class="article__body">'
            )
            for paragraph in article.paragraphs():
                css = ' class="article__item"' if is_item(paragraph) else ""
                add(f"<p{css}>{escape(paragraph)}</p>")
            add("</div>")
            related = interpretations_by_article.get(number) or ()
            if related or write_url:
                add('<p class="article__links">')
                if related:
                    add(
                        related_label
                        + "；".join(
                            _link(item.url or "", item.title) for item in related
                        )
                    )
                if write_url:
                    if related:
                        add("　")
                    add(
                        f'<a class="article__write" href="{escape(write_url(number))}">'
                        f"{write_label}</a>"
                    )
                add("</p>")
            add("</section>")
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped
