"""The parts every government website has (政府网站发展指引): the footer's
marks and filing numbers with their links, 网站地图, 联系我们, 网站声明,
the favicon, the page metadata, and the site's own 404/500 pages even with
DEBUG on."""

import datetime
import re

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from wagtail.models import Site

pytestmark = pytest.mark.django_db


def _meta(html: str) -> dict[str, str]:
    return dict(re.findall(r'<meta name="([A-Za-z]+)" content="([^"]*)">', html))


@pytest.fixture
def gov(public_site):
    from portal.models import GovernmentSiteSettings

    values = GovernmentSiteSettings.for_site(Site.objects.get(is_default_site=True))
    values.site_name = "历城区行政执法容错纠错平台"
    values.site_domain = "zfjd.licheng.example"
    values.website_code = "3701120001"
    values.organizer_unit = "历城区司法局"
    values.icp_number = "鲁ICP备12345678号-1"
    values.public_security_number = "鲁公网安备 37011202000123号"
    values.conac_id = "ABCDEF0123456789"
    values.address = "济南市历城区某路1号"
    values.postcode = "250100"
    values.phone = "0531-12345678"
    values.email = "jiandu@licheng.example"
    values.office_hours = "工作日 9:00-17:00"
    values.full_clean()
    values.save()
    return values


def test_footer_links_the_mark_and_both_filing_numbers_to_their_registries(client, gov):
    html = client.get("/").content.decode()
    footer = html[html.index("<footer") :]
    assert (
        'href="https://bszs.conac.cn/sitename?method=show&amp;id=ABCDEF0123456789"'
        in footer
    )
    assert 'src="/static/img/conac-mark.svg"' in footer  # our own, not hotlinked
    assert '<a href="https://beian.miit.gov.cn/"' in footer
    assert ">鲁ICP备12345678号-1</a>" in footer
    assert (
        'href="https://www.beian.gov.cn/portal/registerSystemInfo?'
        'recordcode=37011202000123"' in footer
    )
    for path in ("/sitemap/", "/contact/", "/statement/"):
        assert f'href="{path}"' in footer
    # Every image of the footer is the site's own.
    assert re.findall(r'<img src="(?!/static/)', footer) == []


def test_mark_is_left_out_until_its_identifier_is_entered(client, gov):
    gov.conac_id = ""
    gov.public_security_number = "鲁公网安备（申请中）"
    gov.save()
    footer = client.get("/").content.decode().split("<footer", 1)[1]
    assert "conac" not in footer
    # No record code in the number: shown, not linked.
    assert "鲁公网安备（申请中）" in footer
    assert "recordcode" not in footer


def test_settings_refuse_a_domain_with_a_scheme_and_a_bad_mark_identifier(gov):
    from django.core.exceptions import ValidationError

    gov.site_domain = "https://zfjd.licheng.example/"
    gov.conac_id = "abc&id=1"
    with pytest.raises(ValidationError) as error:
        gov.full_clean()
    assert set(error.value.message_dict) == {"site_domain", "conac_id"}


def test_sitemap_lists_the_columns_their_pages_and_the_fixed_views(
    client, gov, django_assert_num_queries
):
    from publishing.models import ClarificationNoticePage, PolicyDocumentPage

    client.get("/sitemap/")  # the site root cache and the menu
    with django_assert_num_queries(4):
        response = client.get("/sitemap/")
    assert response.status_code == 200
    # One query for the tree, whatever its size.
    index = ClarificationNoticePage.objects.live().first().get_parent()
    for number in range(3):
        extra = ClarificationNoticePage(
            title=f"补充公告{number}", body="正文。", date=datetime.date(2025, 6, 1)
        )
        index.add_child(instance=extra)
    client.get("/sitemap/")  # the menu, read again after the purge
    with django_assert_num_queries(4):
        assert "补充公告2" in client.get("/sitemap/").content.decode()
    html = response.content.decode()
    policy = PolicyDocumentPage.objects.live().first()
    notice = ClarificationNoticePage.objects.live().first()
    for page in (policy, notice, policy.get_parent(), notice.get_parent()):
        assert f'href="{page.url}"' in html
    # The plugins' links (through their hooks) and the site's own, in order.
    fixed = html.split("服务与网站信息", 1)[1]
    labels = (
        "站内搜索",
        "信访举报",
        "查询举报办理进度",
        "RSS 订阅",
        "联系我们",
        "网站声明",
    )
    positions = [fixed.find(f">{label}</a>") for label in labels]
    assert -1 not in positions and positions == sorted(positions)
    assert _meta(html)["ColumnName"] == "网站地图"


def test_sitemap_leaves_out_drafts_and_private_pages(client, gov):
    from wagtail.models import PageViewRestriction

    from publishing.models import ClarificationNoticePage

    notice = ClarificationNoticePage.objects.live().first()
    PageViewRestriction.objects.create(
        page=notice, restriction_type=PageViewRestriction.LOGIN
    )
    draft = ClarificationNoticePage(
        title="尚未发布的公告", body="草稿。", date=datetime.date(2025, 6, 1)
    )
    notice.get_parent().add_child(instance=draft)
    draft.unpublish()
    html = client.get("/sitemap/").content.decode()
    assert notice.title not in html
    assert "尚未发布的公告" not in html


def test_contact_page_shows_the_settings(client, gov, django_assert_num_queries):
    client.get("/contact/")  # the site root, the settings and the menu cached
    with django_assert_num_queries(2):
        response = client.get("/contact/")
    html = response.content.decode()
    for value in (
        "济南市历城区某路1号",
        "250100",
        "0531-12345678",
        'href="mailto:jiandu@licheng.example"',
        "工作日 9:00-17:00",
        "历城区司法局",
    ):
        assert value in html
    assert 'href="/report/"' in html


def test_statement_says_what_is_collected_from_the_settings(client, gov, settings):
    settings.REPORTING = {**settings.REPORTING, "STATUS_SESSION_SECONDS": 25 * 60}
    html = client.get("/statement/").content.decode()
    assert "不使用任何访问统计、分析或广告工具" in html
    assert "不记录您的 IP 地址" in html
    assert "加密保存" in html
    assert "不可逆摘要" in html
    assert "打开25分钟后自动结束" in html
    assert "系统不自动删除" in html
    assert "一天后自动删除" in html
    # What the upload checker strips (portal.uploads.metadata), and refuses.
    assert "批注和修订记录中的人名改为“作者1”“作者2”" in html
    assert "旧版 .doc/.xls 文件中的作者信息无法可靠去除，不予接收" in html
    # No script or image from anywhere else on any public page.
    assert not re.search(r'<(script|img|link)[^>]+(src|href)="https?://', html)


def test_favicon_is_served_where_browsers_look(client, public_site):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert response.content[:4] == b"\x00\x00\x01\x00"  # an ICO file
    html = client.get("/").content.decode()
    assert '<link rel="icon" href="/favicon.ico"' in html


def test_every_page_names_the_site_and_its_column(client, gov):
    home = _meta(client.get("/").content.decode())
    assert home["SiteName"] == "历城区行政执法容错纠错平台"
    assert home["SiteDomain"] == "zfjd.licheng.example"
    assert home["SiteIDCode"] == "3701120001"
    assert home["ColumnName"] == "首页"
    assert "ArticleTitle" not in home and "PubDate" not in home
    search = _meta(client.get("/search/?q=容错").content.decode())
    assert search["ColumnName"] == "站内搜索"
    report = _meta(client.get("/report/status/").content.decode())
    assert report["ColumnName"] == "信访举报"


@pytest.mark.parametrize("kind", ["policy", "notice"])
def test_article_pages_carry_title_date_in_beijing_time_and_source(client, gov, kind):
    from publishing.models import ClarificationNoticePage, PolicyDocumentPage

    model = {"policy": PolicyDocumentPage, "notice": ClarificationNoticePage}[kind]
    page = model.objects.live().first()
    # 17:05 UTC is 01:05 the next day in Beijing.
    model.objects.filter(pk=page.pk).update(
        first_published_at=datetime.datetime(2025, 2, 20, 17, 5, tzinfo=datetime.UTC)
    )
    meta = _meta(client.get(page.url).content.decode())
    assert meta["ArticleTitle"] == page.title
    assert meta["PubDate"] == "2025-02-21 01:05"
    assert meta["ContentSource"] == page.issuing_body
    assert meta["ColumnName"] == page.get_parent().title
    assert meta["SiteIDCode"] == "3701120001"


def test_index_page_is_a_column_not_an_article(client, gov):
    from publishing.models import PublicationIndexPage

    index = PublicationIndexPage.objects.live().first()
    meta = _meta(client.get(index.url).content.decode())
    assert meta["ColumnName"] == index.title
    assert "ArticleTitle" not in meta


def test_home_lists_dates_in_the_site_style(client, gov):
    html = client.get("/").content.decode()
    dates = re.findall(r"<time datetime=\"[\d-]+\">([^<]+)</time>", html)
    assert dates
    assert all(re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", date) for date in dates)


def test_the_header_search_box_is_the_search_plugins(client, public_site, monkeypatch):
    """The header's box sends its query where the search plugin says
    (register_search_forms); without a plugin that says, there is no box
    pointing at a page that is not there."""
    from wagtail import hooks

    from portal.hooks import SEARCH_FORMS

    html = client.get("/").content.decode()
    assert '<form class="site-search" action="/search/"' in html
    hooks.get_hooks(SEARCH_FORMS)
    monkeypatch.setitem(hooks._hooks, SEARCH_FORMS, [])
    html = client.get("/").content.decode()
    assert 'class="site-search"' not in html
    assert "site-brand" in html


def test_elder_button_says_what_it_will_do(client, public_site):
    html = client.get("/").content.decode()
    assert 'data-label-on="退出长者模式"' in html
    assert 'data-label-off="进入长者模式">进入长者模式</button>' in html


# --- Error pages -----------------------------------------------------------------


@pytest.mark.parametrize("path", ["/no-such-page/", "/no-such-file.txt"])
def test_with_debug_a_missing_page_is_still_the_sites_404(
    client, public_site, settings, path
):
    settings.DEBUG = True
    response = client.get(path)
    assert response.status_code == 404
    html = response.content.decode()
    assert "<h1>页面不存在</h1>" in html
    assert "URLconf" not in html  # not Django's list of URL patterns
    assert _meta(html)["ColumnName"] == "页面不存在"


def test_debug_technical_errors_brings_djangos_pages_back(
    client, public_site, settings
):
    settings.DEBUG = True
    settings.DEBUG_TECHNICAL_ERRORS = True
    response = client.get("/no-such-file.txt")
    assert response.status_code == 404
    assert "URLconf" in response.content.decode()


def test_with_debug_an_error_is_the_sites_500_and_is_logged(settings, caplog):
    from portal.errorpages import SiteErrorPagesMiddleware

    settings.DEBUG = True
    request = RequestFactory().get("/broken/")
    middleware = SiteErrorPagesMiddleware(lambda request: None)
    with caplog.at_level("ERROR", logger="django.request"):
        response = middleware.process_exception(request, RuntimeError("boom"))
    assert response.status_code == 500
    assert "服务暂时不可用" in response.content.decode()
    assert caplog.records[0].exc_info[0] is RuntimeError
    # Not with DEBUG off: Django's own handler does the same there.
    settings.DEBUG = False
    assert middleware.process_exception(request, RuntimeError("boom")) is None


def test_500_page_renders_without_a_request_or_the_database(
    django_assert_num_queries,
):
    with django_assert_num_queries(0):
        html = render_to_string("500.html")
    assert "<h1>服务暂时不可用</h1>" in html
    assert 'lang="zh-Hans"' in html
