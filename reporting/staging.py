"""Keeping checked files of a form that failed on something else, within caps.

Staged files sit on disk until the reporter submits again or the daily purge
(reporting.tasks.purge_staged_uploads, scheduled by migration 0002) removes
them after a day. Every staging request has already passed the proof of work
and the submission budget (reporting/forms.py, reporting/views.py); on top of
that, two office rules bound the disk they can take:

- per client, ``STAGING_BYTES_PER_CLIENT`` bytes per
  ``STAGING_WINDOW_SECONDS``, counted in the rate-limit cache under the
  client's keyed bucket (portal/ratelimit.py: no address is stored);
- in total, ``STAGING_BYTES_TOTAL``: the sum of what is staged now, read from
  the database (the files themselves), so it holds across processes and
  restarts and falls as the purge runs. Concurrent requests can overshoot it
  by at most one request's files each (5 x 10 MB), which is why it is a
  fraction of the disk and not all of it.

A file over either cap is simply not kept; the form says so and keeps
everything typed, and the reporter chooses that file again later.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Sum
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from portal.ratelimit import Budget
from reporting import services
from reporting.models import StagedUpload

BUSY = _(
    "The system is busy and cannot keep attachments now: %(names)s were not saved. "
    "What you wrote has been kept; please choose these attachments again later."
)
CLIENT_CAP = _(
    "The attachments you kept recently exceed %(limit)s: %(names)s were not saved. "
    "What you wrote has been kept; please correct the rest and choose these "
    "attachments again."
)


def client_budget() -> Budget:
    conf = settings.REPORTING
    return Budget(
        "report-staging",
        conf["STAGING_BYTES_PER_CLIENT"],
        None,
        conf["STAGING_WINDOW_SECONDS"],
    )


def staged_bytes() -> int:
    """Bytes held in staging right now, across all clients."""
    return StagedUpload.objects.aggregate(total=Sum("size"))["total"] or 0


def stage_within_caps(request, checked_files) -> tuple[list[StagedUpload], str]:
    """Stage the files that fit both caps, in order; the reason for the
    others (empty when all were kept)."""
    if not checked_files:
        return [], ""
    conf = settings.REPORTING
    total_cap = conf["STAGING_BYTES_TOTAL"]
    budget = client_budget()
    in_staging = staged_bytes()
    kept, busy, over = [], [], []
    for checked in checked_files:
        # The total first: a refusal for a full disk does not use up the
        # client's own allowance.
        if in_staging + checked.size > total_cap:
            busy.append(checked.name)
        elif not budget.take(request, checked.size):
            over.append(checked.name)
        else:
            try:
                kept.append(services.stage_upload(checked))
            except OSError:
                # The disk itself is full (or failing): the same answer as
                # the total cap, never an error page that loses the form.
                budget.give_back(request, checked.size)
                busy.append(checked.name)
                continue
            in_staging += checked.size
    reasons = []
    if busy:
        reasons.append(BUSY % {"names": _names(busy)})
    if over:
        limit = filesizeformat(conf["STAGING_BYTES_PER_CLIENT"])
        reasons.append(CLIENT_CAP % {"limit": limit, "names": _names(over)})
    return kept, "".join(reasons)


def _names(names: list[str]) -> str:
    return "、".join(f"“{name}”" for name in names)
