"""Dates and times in templates, in Beijing time and the site's style:
``{{ value|cn_date }}`` 2026年12月2日, ``{{ value|cn_datetime }}``
2026年12月2日 06:06, ``{{ value|cn_time }}`` 06:06 (see portal.clock)."""

from django import template

from portal import clock

register = template.Library()

register.filter("cn_date", clock.cn_date, expects_localtime=True)
register.filter("cn_datetime", clock.cn_datetime, expects_localtime=True)
register.filter("cn_time", clock.cn_time, expects_localtime=True)
