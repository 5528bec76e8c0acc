"""Production settings plus what only the benchmark needs: the bench URLconf
(the portal's URLs and /bench/plain/) and the stock Wagtail page app."""

from bench.settings_env import apply_bench_environment

apply_bench_environment()

from portal.settings.production import *  # noqa: E402, F403
from portal.settings.production import INSTALLED_APPS  # noqa: E402

ROOT_URLCONF = "bench.urls"
INSTALLED_APPS = [*INSTALLED_APPS, "bench.stockpage"]
