"""A small public site for the query-count tests: the publishing demo (policy,
interpretations, indexes, statistics) and one clarification notice, without
the casework demo the whole ``load_demo`` brings."""

import datetime
import io

import pytest
from wagtail.models import Page, Site


@pytest.fixture
def public_site(db):
    from portal.models import GovernmentSiteSettings, HomePage
    from publishing.demo import load_publishing_demo
    from publishing.models import ClarificationNoticePage, PublicationIndexPage

    root = Page.get_first_root_node()
    root.get_children().filter(content_type__app_label="wagtailcore").delete()
    home = HomePage(title="历城区行政执法履职尽责容错纠错平台", slug="home")
    root.add_child(instance=home)
    home.save_revision().publish()
    Site.objects.all().delete()
    site = Site.objects.create(
        hostname="testserver", port=80, root_page=home, is_default_site=True
    )
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
