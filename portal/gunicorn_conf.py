"""gunicorn settings of the production image.

docker/Dockerfile starts ``gunicorn portal.wsgi:application --config
python:portal.gunicorn_conf``; every value below comes from the environment
the web container gets (docker/compose.yaml), with the defaults of the image.

The access log is the anonymity-critical part (Art. 22): gunicorn's default
line (client address, time to the second, response size, user agent) next to
a report's creation time names the sender of an anonymous report. Our logger
writes the minute, method, path without query string, status and a coarse
duration, whatever ``access_log_format`` says, and scrubs the error log too.
"""

from __future__ import annotations

import os
import time

from gunicorn.glogging import Logger

from portal.logfilter import DATE_FORMAT, AnonymizingFilter

# Inside the container: every interface of the container, reachable only on
# the compose stack's internal network (the web service publishes no port).
bind = [os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")]
workers = int(os.environ.get("GUNICORN_WORKERS", "4"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))

# Forwarding headers (X-Forwarded-Proto, which sets the request's scheme) are
# believed only from the reverse proxy: the same addresses the portal trusts
# for X-Forwarded-For (TRUSTED_PROXY_ADDRESSES, portal/proxy.py). Empty: none.
forwarded_allow_ips = os.environ.get("TRUSTED_PROXY_ADDRESSES", "")
# Only the header our nginx sets (and clears from clients); gunicorn's other
# defaults (X-Forwarded-Ssl, X-Forwarded-Protocol) would pass through it.
secure_scheme_headers = {"X-FORWARDED-PROTO": "https"}

accesslog = "-"
errorlog = "-"
logger_class = "portal.gunicorn_conf.AnonymousLogger"


def duration_bucket(seconds: float) -> str:
    """How long a request took, in four classes: enough to see a slow site,
    not enough to tell one request from another."""
    if seconds < 0.1:
        return "<100ms"
    if seconds < 1:
        return "<1s"
    if seconds < 10:
        return "<10s"
    return ">=10s"


class AnonymousLogger(Logger):
    """gunicorn's logger without client addresses, agents, sizes or
    second-precise times (see the module docstring)."""

    error_fmt = "%(asctime)s [%(process)d] [%(levelname)s] %(message)s"
    datefmt = DATE_FORMAT
    access_fmt = "%(message)s"

    def setup(self, cfg):
        super().setup(cfg)
        # On the loggers, not their handlers: a handler added later (syslog,
        # a reload) gets scrubbed records too. Once per logger across reloads.
        for log in (self.error_log, self.access_log):
            if not any(isinstance(f, AnonymizingFilter) for f in log.filters):
                log.addFilter(AnonymizingFilter())

    def access(self, resp, req, environ, request_time):
        if not self.access_log_enabled:
            return
        status = resp.status
        if isinstance(status, str):
            status = status.split(None, 1)[0]
        seconds = request_time.total_seconds()
        self.access_log.info(
            "%s %s %s %s %s",
            time.strftime(DATE_FORMAT),
            environ.get("REQUEST_METHOD", "-"),
            # PATH_INFO: the path without the query string.
            environ.get("PATH_INFO", "-"),
            status,
            duration_bucket(seconds),
        )
