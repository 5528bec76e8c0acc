"""Sites the tests build: the home page as the default site's root, and the
small public site (publishing demo and one clarification notice)."""

from __future__ import annotations

import datetime
import io


def make_home(hostname: str = "testserver"):
    """A published HomePage as the root of the one default site (Wagtail's
    welcome page makes way, as in load_demo); returns (home, site)."""
    from wagtail.models import Page, Site

    from portal.models import HomePage

    root = Page.get_first_root_node()
    root.get_children().filter(content_type__app_label="wagtailcore").delete()
    home = HomePage(title="历城区行政执法履职尽责容错纠错平台", slug="home")
    root.add_child(instance=home)
    home.save_revision().publish()
    Site.objects.all().delete()
    site = Site.objects.create(
        hostname=hostname, port=80, root_page=home, is_default_site=True
    )
    return home, site


def build_public_site():
    """The publishing demo and one clarification notice on a new home page,
    without the casework demo the whole ``load_demo`` brings."""
    from portal.models import GovernmentSiteSettings
    from publishing.demo import load_publishing_demo
    from publishing.models import ClarificationNoticePage, PublicationIndexPage

    home, site = make_home()
    footer = GovernmentSiteSettings.for_site(site)
    footer.host_unit = "历城区司法局"
    footer.save()
    load_publishing_demo(home=home, stdout=io.StringIO())
    notice = ClarificationNoticePage(
        title="关于某执法人员被举报问题的澄清正名公告",
        body="经核查，反映的问题查无实据，予以澄清。",
        date=datetime.date(2025, 5, 1),
    )
    PublicationIndexPage.objects.get(slug="notices").add_child(instance=notice)
    notice.save_revision().publish()
    return home
