"""One clock (issue #17): whatever reaches a person is Beijing time in the
site's style. The test moment is 01:00 in Beijing on 2 December 2026, which
is 17:00 UTC on 1 December: printing the stored value gives the wrong day."""

from __future__ import annotations

import datetime

import pytest
from django.template import Context, Template

from portal import clock
from portal.downloads import ascii_filename, content_disposition

UTC = datetime.UTC
EVENT = datetime.datetime(2026, 12, 1, 17, 0, tzinfo=UTC)  # 01:00 Beijing, 2 Dec


def test_the_day_and_time_are_beijings():
    assert clock.cn_date(EVENT) == "2026年12月2日"
    assert clock.cn_time(EVENT) == "01:00"
    assert clock.cn_datetime(EVENT) == "2026年12月2日 01:00"
    assert clock.local_date(EVENT) == datetime.date(2026, 12, 2)
    assert clock.local_naive(EVENT) == datetime.datetime(2026, 12, 2, 1, 0)


def test_dates_and_empty_values():
    assert clock.cn_date(datetime.date(2025, 3, 1)) == "2025年3月1日"
    assert clock.cn_datetime(datetime.date(2025, 3, 1)) == "2025年3月1日"
    assert clock.cn_date(None) == clock.cn_datetime("") == clock.cn_time(None) == ""


def test_file_names_carry_the_beijing_moment():
    assert clock.file_stamp(EVENT) == "2026年12月2日0100"
    assert clock.ascii_file_stamp(EVENT) == "20261202-0100"


@pytest.mark.parametrize(
    "source",
    [
        "{% load portal_dates %}{{ when|cn_datetime }}",
        "{% load portal_dates %}{{ when|cn_date }} {{ when|cn_time }}",
        # The public pages' filter is the same one (it used to take a
        # datetime's UTC day).
        "{% load publishing_tags portal_dates %}{{ when|cn_date }} {{ when|cn_time }}",
    ],
    ids=["cn_datetime", "cn_date-cn_time", "publishing-cn_date"],
)
def test_template_filters(source):
    assert Template(source).render(Context({"when": EVENT})) == "2026年12月2日 01:00"


def test_content_disposition_has_an_ascii_fallback_and_the_chinese_name():
    header = content_disposition("监督案件-2026年12月2日0100.xlsx", "cases.xlsx")
    assert header == (
        'attachment; filename="cases.xlsx"; '
        "filename*=UTF-8''%E7%9B%91%E7%9D%A3%E6%A1%88%E4%BB%B6-2026%E5%B9%B412"
        "%E6%9C%882%E6%97%A50100.xlsx"
    )
    header.encode("latin-1")  # a header value the server can send


@pytest.mark.parametrize(
    ("name", "fallback"),
    [
        ("历城容纠决〔2026〕3号.docx", "2026-3.docx"),
        ("信访举报.csv", "download.csv"),
        ('a"b;c.csv', "a-b-c.csv"),
        ("report", "report"),
    ],
    ids=["document-number", "all-chinese", "quotes", "no-extension"],
)
def test_ascii_fallbacks(name, fallback):
    assert ascii_filename(name) == fallback
    assert f'filename="{fallback}"' in content_disposition(name)
