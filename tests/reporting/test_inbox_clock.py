"""The report inbox (list and detail) in Beijing time (issue #17): a report
submitted at 01:00 Beijing time, 17:00 UTC the day before, is dated
2026年12月2日 01:00, not 2026-12-01 17:00; the list costs the same number of
queries however many reports it shows."""

from __future__ import annotations

import datetime

import pytest

from reporting import services
from reporting.models import Report

EVENT = datetime.datetime(2026, 12, 1, 17, 0, tzinfo=datetime.UTC)  # 01:00 Beijing
LIST = "/admin/reporting/reports/"


def _night_report(subject="夜间检查未出示证件"):
    report, _code = services.submit_report(
        kind=Report.Kind.ANONYMOUS, subject=subject, description="内容。"
    )
    Report.objects.filter(pk=report.pk).update(submitted_at=EVENT)
    return report


@pytest.mark.django_db
def test_inbox_list_and_detail_show_beijing_time(
    client, head_user, django_assert_max_num_queries
):
    report = _night_report()
    client.force_login(head_user)
    client.get(LIST)
    with django_assert_max_num_queries(60) as baseline:
        html = client.get(LIST).content.decode()
    assert "2026年12月2日 01:00" in html
    assert "2026-12-01" not in html

    for number in range(5):
        _night_report(f"夜间检查{number}")
    with django_assert_max_num_queries(len(baseline.captured_queries)):
        html = client.get(LIST).content.decode()
    assert html.count("2026年12月2日 01:00") == 6

    detail = client.get(f"{LIST}{report.pk}/").content.decode()
    assert "<dt>提交时间</dt><dd>2026年12月2日 01:00</dd>" in detail
