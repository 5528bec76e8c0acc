"""RSS and Atom feeds of clarification notices and interpretations."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from publishing import services
from publishing.models import ClarificationNoticePage, InterpretationPage

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def parse(content: bytes) -> ET.Element:
    """Our own feed output, not untrusted input."""
    return ET.fromstring(content)  # noqa: S314


def add_notice(index_page, n, live=True):
    page = ClarificationNoticePage(
        title=f"关于某局执法人员李某的澄清正名公告{n}",
        slug=f"notice-{n}",
        date=datetime.date(2025, 4, 1) + datetime.timedelta(days=n),
        agency_name="区市场监督管理局",
        body="经查，举报反映李某的问题不属实。\n特此公告。",
        party_names="李大明",
        live=False,
    )
    index_page.add_child(instance=page)
    revision = page.save_revision()
    if live:
        revision.publish()
    return page


@pytest.fixture
def notices(db):
    index_page = services.index_page(services.NOTICE_INDEX_SLUG, "澄清正名公告")
    add_notice(index_page, 1)
    add_notice(index_page, 2)
    add_notice(index_page, 3, live=False)
    return index_page


def test_notice_rss_lists_live_notices_newest_first(client, notices):
    response = client.get("/feeds/notices/rss/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = parse(response.content).find("channel")
    items = channel.findall("item")
    titles = [item.findtext("title") for item in items]
    assert titles == [
        "关于某局执法人员李某的澄清正名公告2",
        "关于某局执法人员李某的澄清正名公告1",
    ]
    assert all(item.findtext("link").startswith("http://testserver/") for item in items)
    assert "李大明" not in response.content.decode()  # names to redact stay internal


def test_notice_atom_feed(client, notices):
    response = client.get("/feeds/notices/atom/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = parse(response.content)
    assert feed.tag == f"{ATOM}feed"
    assert len(feed.findall(f"{ATOM}entry")) == 2


def test_interpretation_feeds(client, db):
    index_page = services.index_page("interpretations", "政策解读")
    page = InterpretationPage(
        title="容错免责情形解读",
        slug="exempt",
        body="<p>第十条列举了<b>十种</b>情形。</p>",
        summary="",
    )
    index_page.add_child(instance=page)
    page.save_revision().publish()
    rss = client.get("/feeds/interpretations/rss/")
    item = parse(rss.content).find("channel/item")
    assert item.findtext("title") == "容错免责情形解读"
    assert "<b>" not in item.findtext("description")
    assert "十种" in item.findtext("description")
    atom = client.get("/feeds/interpretations/atom/")
    assert len(parse(atom.content).findall(f"{ATOM}entry")) == 1


def test_feed_query_count_is_fixed(client, notices):
    client.get("/feeds/notices/rss/")
    with CaptureQueriesContext(connection) as before:
        client.get("/feeds/notices/rss/")
    for n in range(10, 20):
        add_notice(notices, n)
    with CaptureQueriesContext(connection) as after:
        response = client.get("/feeds/notices/rss/")
    assert len(parse(response.content).findall("channel/item")) == 12
    assert len(after) == len(before)
