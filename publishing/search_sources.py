"""What the public search shows from the publishing plugin (the search
plugin's ``register_search_sources`` contract, registered by
``publishing/wagtail_hooks.py``)."""

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
            "label": "政策文件",
            "model": PolicyDocumentPage,
            "queryset": lambda: (
                PolicyDocumentPage.objects.live().public().prefetch_related("articles")
            ),
        },
        {
            "key": "article",
            "label": "政策条文",
            "model": PolicyArticle,
            "queryset": lambda: PolicyArticle.objects.public().select_related("page"),
        },
        {
            "key": "interpretation",
            "label": "政策解读",
            "model": InterpretationPage,
            "queryset": lambda: InterpretationPage.objects.live().public(),
        },
        {
            "key": "notice",
            "label": "澄清正名公告",
            "model": ClarificationNoticePage,
            "queryset": lambda: ClarificationNoticePage.objects.live().public(),
        },
    ]
