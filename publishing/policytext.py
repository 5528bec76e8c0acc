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

from publishing.templatetags.publishing_tags import cn_number, is_item


def _link(url: str, text: str) -> str:
    return f'<a href="{escape(url)}">{escape(text)}</a>'


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
    for chapter in chapters:
        if chapter["number"]:
            add(
                f'<h2 id="{escape(chapter["anchor"])}" class="chapter-title">'
                f"第{cn_number(chapter['number'])}章　{escape(chapter['title'])}</h2>"
            )
        for article in chapter["articles"]:
            number = article.number
            label = escape(article.label)
            add(
                f'<section class="article" id="art-{number}" '
                f'aria-labelledby="art-{number}-label">'
                f'<h3 class="article__label" id="art-{number}-label">'
                f'<a href="#art-{number}" title="本条链接">{label}</a></h3>'
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
                        "相关解读："
                        + "；".join(
                            _link(item.url or "", item.title) for item in related
                        )
                    )
                if write_url:
                    if related:
                        add("　")
                    add(
                        f'<a class="article__write" href="{escape(write_url(number))}">'
                        "撰写本条解读</a>"
                    )
                add("</p>")
            add("</section>")
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped
