from django import template
from wagtail import hooks
from wagtail.models import Page, Site

from portal import pagecache
from portal.hooks import FOOTER_LINKS, HOME_SECTION, MAIN_MENU_LINK

register = template.Library()


MENU_KEY = "portal:main-menu:{site}"


@register.simple_tag(takes_context=True)
def main_menu_pages(context):
    """Live children of the site's root page that are marked "show in menus"."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    if site is None:
        return []
    return menu_pages(site)


def menu_pages(site) -> list[Page]:
    """The main menu's pages of ``site`` (plain pages: the menu shows their
    title and URL), kept in the cache under the page cache's generation, so
    the purge that follows any publication, move or view restriction
    (portal/pagecache.py) renews them too. Every page, cached or not, has
    the menu: one cache round trip instead of four queries, one of them a
    range scan of every page under the root."""
    return pagecache.remembered(
        MENU_KEY.format(site=site.pk),
        lambda: list(
            site.root_page.get_children()
            .live()
            .public()
            .in_menu()
            .only("id", "path", "depth", "title", "url_path", "content_type_id")
        ),
    )


@register.simple_tag(takes_context=True)
def main_menu_links(context):
    """Links that plugins add to the main navigation (hook
    ``register_main_menu_link``): mappings with ``label``, ``url`` and an
    optional ``order``; the link is marked current when the path is under it."""
    request = context.get("request")
    path = getattr(request, "path", "")
    links = []
    for fn in hooks.get_hooks(MAIN_MENU_LINK):
        link = fn(request)
        if link:
            links.append({**link, "current": path.startswith(link["url"])})
    return sorted(links, key=lambda link: link.get("order", 100))


@register.simple_tag(takes_context=True)
def home_sections(context, page):
    """Sections that plugins add to the home page (hook ``register_home_section``).

    Each hook returns ``None`` or a mapping with ``title``, ``template`` and
    whatever the template needs; a plugin decides on its own whether it has
    anything to show.
    """
    request = context.get("request")
    sections = []
    for fn in hooks.get_hooks(HOME_SECTION):
        section = fn(request, page)
        if section:
            sections.append(section)
    return sorted(sections, key=lambda section: section.get("order", 100))


@register.simple_tag(takes_context=True)
def footer_links(context):
    """Links that plugins add to the footer (hook ``register_footer_links``:
    the search page, a status page, a feed), lower ``order`` first. A plugin
    that is not installed has no link, so the footer names none."""
    request = context.get("request")
    links = []
    for fn in hooks.get_hooks(FOOTER_LINKS):
        links.extend(fn(request) or ())
    return sorted(links, key=lambda link: link.get("order", 100))
