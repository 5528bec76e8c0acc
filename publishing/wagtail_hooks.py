"""What the publishing plugin contributes to the portal, through hooks."""

from django.urls import include, path
from wagtail import hooks

from portal.hooks import (
    DEMO_CONTENT,
    FOOTER_LINKS,
    HOME_SECTION,
    PAGE_CACHE_PURGE_MODELS,
    PAGE_CACHE_URL_NAMES,
    PERIODIC_REPORT_FIGURES,
    PUBLIC_URLS,
    SEARCH_SOURCES,
)
from publishing import contributions, editorial, urls
from publishing.demo import load_publishing_demo
from publishing.guards import refuse_bulk_publishing_of_unanonymized_notices
from publishing.home_sections import (
    home_section_interpretation,
    home_section_notice,
    home_section_policy,
)
from publishing.report_figures import clarification_notices_published
from publishing.search_sources import publishing_search_sources


@hooks.register("register_admin_urls")
def register_publishing_admin_urls():
    return [
        path(
            "publishing/",
            include((urls.admin_urlpatterns, "publishing"), namespace="publishing"),
        )
    ]


@hooks.register(PUBLIC_URLS)
def register_publishing_public_urls():
    # Flat patterns (names prefixed "publishing_") so the portal's plugin
    # listing shows each public URL.
    return list(urls.public_urlpatterns)


# The page listing's bulk "publish" bypasses the editor's form: a notice that
# still identifies someone is refused there too (Art. 22).
hooks.register("before_bulk_action", refuse_bulk_publishing_of_unanonymized_notices)


hooks.register(SEARCH_SOURCES, publishing_search_sources)


hooks.register(PERIODIC_REPORT_FIGURES, clarification_notices_published)


hooks.register(HOME_SECTION, home_section_notice)
hooks.register(HOME_SECTION, home_section_interpretation)
hooks.register(HOME_SECTION, home_section_policy)


@hooks.register(DEMO_CONTENT)
def publishing_demo(home, stdout):
    return load_publishing_demo(home=home, stdout=stdout)


# The interpretation desk (issue #17): the editor reads the reviewer's
# request for changes on opening the page; desk editors add interpretations
# only, and find the policies to interpret on their dashboard; publishing
# goes through the reviewer's approval.
hooks.register("before_create_page", editorial.interpretations_only_for_desk_editors)
hooks.register("before_edit_page", editorial.reviewer_comment_on_open)
hooks.register("construct_homepage_panels", editorial.interpretation_desk_panel)
hooks.register("construct_page_action_menu", editorial.publish_by_approval_only)


# The portal's plumbing (portal/hooks.py): the feeds the page cache keeps,
# the statistics snapshot that purges it, the feed in the site map.
hooks.register(PAGE_CACHE_URL_NAMES, contributions.page_cache_url_names)
hooks.register(PAGE_CACHE_PURGE_MODELS, contributions.page_cache_purge_models)
hooks.register(FOOTER_LINKS, contributions.footer_links)
