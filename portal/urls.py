from pathlib import Path

from django.conf import settings
from django.urls import include, path
from wagtail import hooks
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls

from portal import admin_visibility, sitepages
from portal.api import api_router
from portal.downloads import document_urlpatterns
from portal.hooks import PUBLIC_URLS


def plugin_urlpatterns():
    """Public URL patterns contributed by plugins through a Wagtail hook."""
    patterns = []
    for fn in hooks.get_hooks(PUBLIC_URLS):
        patterns.extend(fn())
    return patterns


urlpatterns = [
    # Wagtail's bulk actions and editing-session ping, limited to what the
    # user may see (portal/admin_visibility.py): before the admin's own.
    *admin_visibility.urlpatterns(),
    path("admin/", include(wagtailadmin_urls)),
    # Documents only through Wagtail's permission-checking view.
    path("documents/", include(document_urlpatterns())),
    path("api/v2/", api_router.urls),
    # 网站地图, 联系我们, 网站声明 and /favicon.ico (portal/sitepages.py).
    *sitepages.urlpatterns(),
    *plugin_urlpatterns(),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    # Only Wagtail's image renditions: original images and documents are
    # never reachable by path, not even in development.
    urlpatterns += static(
        f"{settings.MEDIA_URL}images/",
        document_root=Path(settings.MEDIA_ROOT) / "images",
    )

# Wagtail's page serving catches everything else, so it comes last.
urlpatterns.append(path("", include(wagtail_urls)))
