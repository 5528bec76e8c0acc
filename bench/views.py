"""The baseline: a plain Django view answering a page of a given size, through
the same middleware as every portal page, with no template, ORM or Wagtail."""

from django.http import HttpResponse

MAX_SIZE = 2_000_000
FILLER = "<p>历城区行政执法履职尽责容错纠错平台基准测试页面。</p>\n"


def plain(request):
    raw = request.GET.get("size", "")
    size = int(raw) if raw.isdigit() and len(raw) <= 7 else 10_000
    size = min(size, MAX_SIZE)
    chunk = FILLER.encode("utf-8")
    body = (chunk * (size // len(chunk) + 1))[:size]
    return HttpResponse(body, content_type="text/html; charset=utf-8")
