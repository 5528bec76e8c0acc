"""Auditing a Wagtail IndexView spreadsheet export (case list, report list,
the audit log itself): what was exported, in which format, how many rows,
under which filters. Search words and filter values are the staff member's
own input, never a reporter's identity."""

from audit.log import record

NOT_FILTERS = ("export", "p")


def audit_export(view, action: str, queryset) -> None:
    request = view.request
    filters = {
        key: value
        for key, value in request.GET.items()
        if key not in NOT_FILTERS and value
    }
    record(
        action,
        request=request,
        model=queryset.model,
        detail={
            "format": request.GET.get("export"),
            "rows": queryset.count(),
            "filters": filters,
        },
    )
