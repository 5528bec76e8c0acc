"""The demo site (``manage.py load_demo``): the site tree and settings every
plugin's demo content hangs from (:func:`site_tree`, :func:`site_settings`,
also what the tests' ``home_page`` fixture builds), and the helpers of the
plugins' demo content (hook ``register_demo_content``): the demo logins
every plugin creates the same way, so the demo office's people are made and
announced alike.

A plugin lists its logins as ``{username: (last name, first name, role
group, what the login shows)}``, all fictional, and calls
:func:`ensure_demo_users` and then :func:`login_lines` for its output.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page, Site

from portal.models import GovernmentSiteSettings, HomePage

__all__ = [
    "DEMO_ADMIN_PASSWORD",
    "DEMO_ADMIN_USERNAME",
    "DemoLogins",
    "ensure_demo_users",
    "login_lines",
    "site_settings",
    "site_tree",
]

DEMO_ADMIN_USERNAME = "admin"
DEMO_ADMIN_PASSWORD = "demo-admin-2025"  # noqa: S105 - demo sites only, see load_demo --help

DemoLogins = Mapping[str, tuple[str, str, str, str]]


def ensure_demo_users(logins: DemoLogins) -> dict:
    """The demo users of ``logins`` by username, created when missing with
    the demo password and added to their role group; idempotent (an
    existing user keeps its name and password).

    Wagtail admin access comes from the role group's permissions, so
    is_staff stays off: the portal has no Django admin."""
    user_model = get_user_model()
    users = {}
    for username, (last, first, group, _duty) in logins.items():
        user, created = user_model.objects.get_or_create(
            username=username,
            # Django shows "first last"; a Chinese name reads surname first,
            # so the whole name goes in first_name.
            defaults={
                "first_name": f"{last}{first}",
                "email": f"{username}@example.invalid",
            },
        )
        if created:
            user.set_password(DEMO_ADMIN_PASSWORD)
            user.save(update_fields=["password"])
        user.groups.add(Group.objects.get(name=group))
        users[username] = user
    return users


def login_lines(logins: DemoLogins) -> str:
    """One line per login for the loader's output: the username, the name,
    the role group and what the login shows."""
    return "".join(
        f"  {username:<15} {last}{first}（{group}：{duty}）\n"
        for username, (last, first, group, duty) in logins.items()
    )


def site_tree() -> HomePage:
    """The published home page as the default site's root, made when
    missing (idempotent); Wagtail's "Welcome" page removed."""
    root = Page.get_first_root_node()
    if root is None:
        # A flushed database (as in transactional tests) has lost what
        # Wagtail's migrations created: the default locale and tree root.
        Locale.objects.get_or_create(
            language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
        )
        root = Page.add_root(instance=Page(title="Root", slug="root"))
    # Wagtail's initial migration leaves a plain "Welcome" page at depth 2
    # (and a site pointing at it); the demo serves the portal's home page.
    root.get_children().filter(content_type__app_label="wagtailcore").delete()
    home = HomePage.objects.first()
    if home is None:
        home = HomePage(
            title="历城区行政执法履职尽责容错纠错平台",
            slug="home",
            intro=(
                "<p>依据《历城区行政执法履职尽责容错纠错实施办法（试行）》"
                "（济历城政发〔2025〕1号），公开政策文件与解读、发布澄清正名公告，"
                "受理对行政执法行为的信访举报。</p>"
            ),
        )
        root.add_child(instance=home)
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost",
            port=80,
            root_page=home,
            is_default_site=True,
            site_name=settings.WAGTAIL_SITE_NAME,
        )
    elif site.root_page_id != home.pk or not site.site_name:
        site.root_page = home
        site.site_name = settings.WAGTAIL_SITE_NAME
        site.save()
    return home


def site_settings(home: HomePage) -> None:
    """The demo values of the site settings, each filled only while empty."""
    site = Site.objects.get(root_page=home)
    values = GovernmentSiteSettings.for_site(site)
    if not values.host_unit:
        values.host_unit = "济南市历城区人民政府"
        values.organizer_unit = "历城区司法局（区政府行政执法监督机构）"
        values.website_code = "3701120000"
        values.icp_number = "鲁ICP备00000000号（演示）"
        values.public_security_number = "鲁公网安备 37011200000000号（演示）"
        values.address = "济南市历城区（演示地址）"
        values.phone = "0531-00000000（演示）"
        values.save()
    # Demo values of the page metadata, the mark's registry entry and the
    # contact page; each filled only while empty, so a re-run changes
    # nothing and an office's own values stay.
    demo = {
        "site_name": settings.WAGTAIL_SITE_NAME,
        "site_domain": "demo.invalid",
        "conac_id": "DEMO0000000000000000000000000000",
        "postcode": "250100",
        "email": "demo@example.invalid",
        "office_hours": "工作日 上午9:00-12:00，下午13:30-17:00（演示）",
    }
    missing = [name for name in demo if not getattr(values, name)]
    for name in missing:
        setattr(values, name, demo[name])
    if missing:
        values.save(update_fields=missing)
