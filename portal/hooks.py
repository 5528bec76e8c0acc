"""Every hook a plugin may register, with its signature and contract.

A plugin (an entry point of the ``portal.plugins`` group, see
``portal.plugins``) adds to the portal only through these hooks and through
Wagtail's own (``register_admin_viewset``, ``construct_homepage_panels``, …).
The portal reads them by the names below and never names a plugin; a plugin
that offers a hook to the others (search sources, report figures) reads it
by the same names. ``manage.py plugins`` lists, for each installed plugin,
the hooks of this module it registers.

Register in the plugin's ``wagtail_hooks.py`` with the constant, not a bare
string::

    from wagtail import hooks
    from portal.hooks import PUBLIC_URLS

    @hooks.register(PUBLIC_URLS)
    def my_urls():
        return [path("things/", things_view, name="things")]

``wagtail_hooks.py`` files only register: the functions they register live in
the plugin's own modules. Hook functions run in ``order`` (Wagtail's
``order=`` argument), then in INSTALLED_APPS order.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class HookSpec:
    """One hook: its name, what a registered function receives and returns,
    and who reads it."""

    name: str
    signature: str
    contract: str
    read_by: str


# --- Public site --------------------------------------------------------------

PUBLIC_URLS = "register_public_urls"
MAIN_MENU_LINK = "register_main_menu_link"
FOOTER_LINKS = "register_footer_links"
HOME_SECTION = "register_home_section"
VIEW_COLUMNS = "register_view_columns"
SITE_FACTS = "register_site_facts"
SEARCH_FORMS = "register_search_forms"
API_PAGE_SEARCH = "register_api_page_search"

# --- Site plumbing -------------------------------------------------------------

PAGE_CACHE_URL_NAMES = "register_page_cache_url_names"
PAGE_CACHE_PURGE_MODELS = "register_page_cache_purge_models"
BACKUP_ROOTS = "register_backup_roots"
AUDIT_VIEWER_GROUPS = "register_audit_viewer_groups"
DEMO_CONTENT = "register_demo_content"

# --- Between plugins -------------------------------------------------------------

SEARCH_SOURCES = "register_search_sources"
STAFF_SEARCH_SOURCES = "register_staff_search_sources"
SEARCH_DOCUMENTS = "register_search_documents"
PERIODIC_REPORT_FIGURES = "register_periodic_report_figures"


HOOKS: tuple[HookSpec, ...] = (
    HookSpec(
        PUBLIC_URLS,
        "fn() -> list[URLPattern | URLResolver]",
        "Public URL patterns, mounted at the site root after the admin, the "
        "documents, the API and the portal's own pages, before Wagtail's page "
        "route (which takes every path left). Give each pattern a name with "
        "the plugin's prefix: a name another plugin also uses resolves to "
        "the first registered.",
        "portal.urls",
    ),
    HookSpec(
        MAIN_MENU_LINK,
        "fn(request) -> {'label': str, 'url': str, 'order': int} | None",
        "A link that is not a page (e.g. a public form) in the site's main "
        "navigation, after the menu pages by 'order' (lower first, 100 when "
        "left out), and in the site map; None hides it for this request. "
        "Marked current when the request path starts with 'url'.",
        "portal.templatetags.portal_tags, portal.sitepages",
    ),
    HookSpec(
        FOOTER_LINKS,
        "fn(request) -> list[{'label': str, 'url': str, 'order': int}]",
        "Views that are not pages (a search page, a status page, a feed) in "
        "the site map, listed with the main-menu links by 'order', lower "
        "first; the portal's own pages (联系我们, 网站声明) come last, from "
        "order 900. The footer lists them too, by 'order', between the "
        "portal's own links and the data interface.",
        "portal.sitepages, portal.templatetags.portal_tags (the footer)",
    ),
    HookSpec(
        SITE_FACTS,
        "fn(request) -> {'report_url'?: str, 'status_session_seconds'?: int, "
        "'rate_window_seconds'?: int}",
        "What 联系我们 and 网站声明 state about the plugin: where the public "
        "reports a problem, how long a reporter's status page stays open, "
        "and the longest a per-client count lives in the cache (the pages "
        "state the largest of all). Keys a plugin has nothing for are left "
        "out; a page says nothing of what no plugin gives.",
        "portal.sitepages",
    ),
    HookSpec(
        SEARCH_FORMS,
        "fn(request) -> {'public'?: str, 'staff'?: str}",
        "Where the site's search boxes send their query: 'public' for the "
        "box in every public page's header, 'staff' for the one on the "
        "admin dashboard. A box no plugin gives an address is left out.",
        "portal.templatetags.site_search_forms",
    ),
    HookSpec(
        API_PAGE_SEARCH,
        "fn(query: str, operator: str) -> list[obj(page_id: int, matches: list)]",
        "The pages ?search= on the API's pages endpoint finds, best first: "
        "what an anonymous visitor finds on the public search page, each "
        "page once, with 'matches' the JSON-able parts of the page that "
        "matched (a policy's articles; empty when the page itself did). "
        "'operator' is 'and' (every word) or 'or' (any word). The first "
        "registered function answers; with none, Wagtail's own search "
        "backend does.",
        "portal.api",
    ),
    HookSpec(
        HOME_SECTION,
        "fn(request, page) -> {'title': str, 'template': str, 'order': int} | None",
        "A section of the home page, below the quick links, by 'order' "
        "(lower first, 100 when left out): the portal writes 'title' as its "
        "heading and includes 'template' with the whole mapping as "
        "'section' (put what the template needs in it); None when the "
        "plugin has nothing to show.",
        "portal.templatetags.portal_tags",
    ),
    HookSpec(
        VIEW_COLUMNS,
        "fn() -> dict[str, str]",
        "The column name (ColumnName meta tag, breadcrumbs) of public views "
        "that are neither pages nor main-menu links, by URL name.",
        "portal.templatetags.site_meta",
    ),
    HookSpec(
        PAGE_CACHE_URL_NAMES,
        "fn() -> Iterable[str]",
        "URL names whose anonymous GET responses the page cache may keep. "
        "Only views whose response is the same for every anonymous visitor "
        "and changes only when a page, snippet or purge model is saved.",
        "portal.pagecache",
    ),
    HookSpec(
        PAGE_CACHE_PURGE_MODELS,
        "fn() -> Iterable[type[Model]]",
        "Models outside Wagtail's pages, settings and snippets whose saves "
        "and deletes change public pages; each empties the page cache.",
        "portal.pagecache",
    ),
    HookSpec(
        BACKUP_ROOTS,
        "fn() -> dict[str, Path]",
        "Directories of files the plugin keeps outside MEDIA_ROOT (private "
        "case files, report attachments), by a key unique across plugins; "
        "backup archives them and restore puts them back.",
        "portal.backup",
    ),
    HookSpec(
        AUDIT_VIEWER_GROUPS,
        "fn() -> Iterable[str]",
        "Names of groups whose members may read the audit log, besides superusers.",
        "audit.permissions",
    ),
    HookSpec(
        DEMO_CONTENT,
        "fn(home: Page, stdout) -> None",
        "Creates the plugin's demo content under the site's home page; "
        "called with the keywords home= and stdout= once the home page, the "
        "site settings and the demo superuser exist, inside load_demo's "
        "transaction; must be idempotent. A function that needs the others' "
        "users registers with a higher order= (staffauth's runs last).",
        "portal.management.commands.load_demo",
    ),
    HookSpec(
        SEARCH_SOURCES,
        "fn() -> list[dict(key, label, model, queryset, ...)]",
        "Public search sources: a model and 'queryset', a callable without "
        "arguments returning what an anonymous visitor may find (live, "
        "public, published). The index proposes candidates over the whole "
        "model and the queryset decides what is shown. Hits are shown "
        "through the objects' search_title, search_url, search_date and "
        "search_text, or callables under 'title', 'url', 'date', 'text'. "
        "Objects that are parts of a page give 'page_id'(obj) (the page's "
        "id) and 'page_match'(obj) (a JSON-able description of the part): "
        "the API's page search then finds the page by them. "
        "'key' is unique across plugins (the first registered wins).",
        "the search plugin (its sources module)",
    ),
    HookSpec(
        STAFF_SEARCH_SOURCES,
        "fn() -> list[dict(key, label, model, queryset(user), ...)]",
        "Staff search sources, as the public ones except that 'queryset' "
        "takes the user and returns only what that user may see; an "
        "optional 'match_text'(obj, user) limits what a query may match for "
        "users who may not probe the rest of the object.",
        "the search plugin (its sources module)",
    ),
    HookSpec(
        SEARCH_DOCUMENTS,
        "fn() -> list[type[Document]]",
        "Elasticsearch document classes of the plugin's models, each with "
        "'model', from_object(obj), get_queryset() and 'text_fields'; "
        "indexed and kept current on save only when ELASTICSEARCH_URL is "
        "set.",
        "the search plugin (its Elasticsearch documents)",
    ),
    HookSpec(
        PERIODIC_REPORT_FIGURES,
        "fn(start: date, end: date) -> list[tuple[str, int]]",
        "Figures of the period (both days inclusive) for the periodic report "
        "to the district government (Art. 19 para. 2), shown under 其他工作. "
        "A function that raises or returns something else is logged and "
        "named in a note on the report; the rest of the report is kept.",
        "the casework plugin (its periodic reports)",
    ),
)

BY_NAME = {spec.name: spec for spec in HOOKS}
