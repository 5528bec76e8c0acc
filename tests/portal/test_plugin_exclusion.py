"""The portal without one of its plugins (PORTAL_PLUGINS_EXCLUDE).

Each exclusion runs the real commands in a subprocess on a fresh SQLite
database: ``manage.py check``, ``migrate``, the demo content, then the public
pages, every link the home page and the site map show, and the admin
dashboard with every link on it and every item of the admin menu, through
Django's test client. A page of the
remaining plugins that still names the excluded one (a ``{% url %}`` of its
view, an import of its models) fails here. Excluding casework, which the
others require, is refused at start-up with one line naming them.

These are among the slowest tests of the portal (about 45 s of CPU each,
most of it the migrations): one test per exclusion, the database migrated
once in it, and only in the suite's SQLite run.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# The subprocesses use their own SQLite database whatever the suite's, so
# the suite's SQLite run covers them; its PostgreSQL run skips the minute.
only_in_the_sqlite_run = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="covered by the SQLite run of the suite",
)

# Run inside ``manage.py shell``: the demo content, then each page; prints
# one line "RESULTS {url: status}" (staff pages prefixed "staff ", the
# excluded plugin's page "excluded "), with the installed apps.
PAGES_SCRIPT = """
import json, os, re
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

call_command("load_demo", "--no-index", "--allow-production", verbosity=0)
PUBLIC = ["/", "/sitemap/", "/contact/", "/statement/", "/search/?q=容错",
          "/admin/login/"]
SKIP = ("//", "/static/", "/media/", "/documents/", "/admin/logout")
# Links, and the admin menu's items (JSON in the sidebar's props).
HREF = re.compile(r'(?:href="|"url": ")(/[^"#]*)"')
results = {}

def visit(client, url, prefix=""):
    response = client.get(url.replace("&amp;", "&"))
    results[prefix + url] = response.status_code
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return set()  # a download (.docx, .xlsx, a feed) has no links to follow
    html = response.content.decode()
    return {h for h in HREF.findall(html) if not h.startswith(SKIP)}

anonymous = Client()
linked = set()
for url in PUBLIC:
    found = visit(anonymous, url)
    if url in ("/", "/sitemap/"):
        linked |= found
for url in sorted(linked - set(PUBLIC)):
    visit(anonymous, url)

staff = Client()
admin = get_user_model().objects.get(username="admin")
staff.force_login(admin)
device = TOTPDevice.objects.filter(user=admin, confirmed=True).first()
session = staff.session
session[DEVICE_ID_SESSION_KEY] = device.persistent_id
session.save()
dashboard = visit(staff, "/admin/", "staff ")
for url in sorted(h for h in dashboard if h.startswith("/admin/")):
    visit(staff, url, "staff ")
visit(anonymous, os.environ["EXCLUDED_URL"], "excluded ")
results["installed"] = [config.name for config in apps.get_app_configs()]
print("RESULTS " + json.dumps(results, ensure_ascii=False))
"""


def _manage(tmp_path: Path, exclude: str, *args: str, timeout=600, **extra_env):
    env = {
        **os.environ,
        **extra_env,
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "PORTAL_PLUGINS_EXCLUDE": exclude,
    }
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=timeout,
    )


def _ok(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


# What each exclusion takes away: a page of the excluded plugin, which must
# now be missing, and its URL prefix, which no remaining page may link to.
EXCLUSIONS = {
    "reporting": ("/report/", "/report/"),
    "publishing": ("/feeds/notices/rss/", "/feeds/"),
}


@only_in_the_sqlite_run
@pytest.mark.parametrize("excluded", sorted(EXCLUSIONS))
def test_the_portal_runs_without_a_plugin(tmp_path, excluded):
    gone, prefix = EXCLUSIONS[excluded]
    check = _ok(_manage(tmp_path, excluded, "check"))
    assert "System check identified no issues" in check
    _ok(_manage(tmp_path, excluded, "migrate", "--no-input", "-v0"))
    out = _ok(
        _manage(
            tmp_path, excluded, "shell", "-v0", "-c", PAGES_SCRIPT, EXCLUDED_URL=gone
        )
    )
    results = json.loads(out.split("RESULTS ", 1)[1])
    installed = results.pop("installed")
    assert excluded not in installed
    assert {"casework", "search"} <= set(installed)
    assert results.pop(f"excluded {gone}") == 404

    for url in ["/", "/sitemap/", "/contact/", "/statement/", "/admin/login/"]:
        assert results[url] == 200, url
    assert results["/search/?q=容错"] == 200
    assert results["staff /admin/"] == 200
    failed = {url: code for url, code in results.items() if code >= 400}
    assert failed == {}
    # The home page and the site map link to pages of the remaining plugins
    # (the crawl went beyond the fixed pages) and never to the excluded one.
    assert len([url for url in results if not url.startswith("staff ")]) > 6
    assert not [url for url in results if url.startswith(prefix)]
    assert len([url for url in results if url.startswith("staff ")]) > 1


def test_excluding_casework_is_refused_naming_the_plugins_that_require_it(
    tmp_path,
):
    result = _manage(tmp_path, "casework", "check", timeout=120)
    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line == (
        "portal.plugins.PluginLoadError: Excluding 'casework' leaves "
        "'publishing' and 'reporting' without a plugin they require: exclude "
        "them too, or stop excluding 'casework'."
    )
