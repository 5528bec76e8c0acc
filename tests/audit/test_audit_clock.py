"""The audit log viewer in Beijing time (issue #17): an event at 01:00
Beijing time (17:00 UTC the day before) reads 2026年12月2日 01:00:00."""

from __future__ import annotations

import datetime

import pytest

from audit.models import Action, AuditEvent
from tests.testkit.factories import UserFactory

EVENT = datetime.datetime(2026, 12, 1, 17, 0, 7, tzinfo=datetime.UTC)


@pytest.mark.django_db
def test_the_viewer_and_the_event_label_are_in_beijing_time(client):
    event = AuditEvent.objects.create(
        action=Action.REPORT_VIEW, username="inv1", timestamp=EVENT
    )
    root = UserFactory(username="root", is_staff=True, is_superuser=True, roles=[])
    client.force_login(root)
    html = client.get("/admin/audit/").content.decode()
    assert "2026年12月2日 01:00:07" in html
    assert "2026-12-01" not in html
    assert str(event).startswith("2026年12月2日 01:00 inv1")
