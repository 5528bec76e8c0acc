"""What the public search shows from the publishing plugin (the search
plugin's ``register_search_sources`` contract, registered by
``publishing/wagtail_hooks.py``)."""

from django.utils.translation import gettext

from publishing.models import (
    ClarificationNoticePage,
    InterpretationPage,
    PolicyArticle,
    PolicyDocumentPage,
)


def publishing_search_sources():
    """What the public search shows from this plugin (contract with the
    search plugin): live, public pages, and the articles of live policies."""
    return [
        {
            "key": "policy",
            "label": gettext("Policy documents"),
            "model": PolicyDocumentPage,
            "queryset": lambda: (
                PolicyDocumentPage.objects.live().public().prefetch_related("articles")
            ),
        },
        {
            "key": "article",
            "label": gettext("policy article"),
            "model": PolicyArticle,
            "queryset": lambda: PolicyArticle.objects.public().select_related("page"),
            # An article is part of its policy page: the API finds the page
            # by the article's text and names the article that matched.
            "page_id": lambda article: article.page_id,
            "page_match": lambda article: {
                "number": article.number,
                "label": article.label,
                "anchor": article.anchor,
            },
        },
        {
            "key": "interpretation",
            "label": gettext("interpretations"),
            "model": InterpretationPage,
            "queryset": lambda: InterpretationPage.objects.live().public(),
        },
        {
            "key": "notice",
            "label": gettext("Clarification notices"),
            "model": ClarificationNoticePage,
            "queryset": lambda: ClarificationNoticePage.objects.live().public(),
        },
    ]
