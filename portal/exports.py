"""Every spreadsheet the portal hands out (CSV and XLSX) goes through here.

A report's subject is written by the hostile public, and case titles are
prefilled from it; agency and page titles are typed by staff. A cell that a
spreadsheet program reads as a formula (``=HYPERLINK("http://x","y")`` sends
the data of neighbouring cells wherever the link points, ``=cmd|...`` runs
programs in old Excel) must reach the reader as plain text. Following the
OWASP guidance on CSV injection, a text cell that begins with a formula
trigger gets a single quote in front of it: spreadsheets show it as text, and
a reader still sees what was written.

Two kinds of export use this module:

- the admin listings' CSV/XLSX downloads, all built on Wagtail's
  ``SpreadsheetExportMixin`` (the case list, the report inbox, the audit log,
  and Wagtail's own reports, redirects and search terms):
  :func:`install` routes every heading and every value of every one of them
  through :func:`safe_cell`, in the one base class they share, so that an
  export added later is covered without anyone remembering to;
- workbooks the portal writes itself with openpyxl (the periodic report):
  :func:`safe_row` before ``worksheet.append``.

Headings, labels and a byte-order mark for the CSV belong here too, so that
every export changes in one place. :func:`install` also makes every one of
those listings

- write a field with choices as its Chinese label (``get_FOO_display``), not
  the stored code (``penalty`` → 行政处罚);
- write times in Beijing time (portal.clock): a naive cell in XLSX, the text
  2026年12月2日 06:06 in CSV, dates as 2026年12月2日, under a heading that
  says 北京时间;
- start the CSV with a UTF-8 byte-order mark (Excel on Chinese Windows
  otherwise reads it as GBK and shows mojibake);
- name the file in Chinese with the Beijing time of the export and an ASCII
  fallback (portal.downloads.content_disposition, RFC 6266/5987).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from portal import clock

# OWASP's list (= + - @, tab, carriage return), a line feed for the same
# reason as the carriage return, and the full-width forms of the four
# operators: with a Chinese or Japanese input method, Excel and WPS turn a
# leading full-width ＝ into a formula, and we cannot check every build of
# every program the office and the agencies open these files with. The cost
# is a quote in front of the rare Chinese text that starts with one of them.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")

QUOTE = "'"


def safe_cell(value):
    """``value`` as a spreadsheet should hold it: text that a spreadsheet
    would evaluate gets a leading single quote; everything else (numbers,
    dates, empty cells, other text) is returned unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return QUOTE + value
    return value


def safe_row(values: Iterable) -> list:
    """A row of cells for ``csv.writer.writerow`` or openpyxl's
    ``Worksheet.append`` (which would otherwise store a string that starts
    with ``=`` as a formula)."""
    return [safe_cell(value) for value in values]


BOM = "\ufeff"
"""Written first in every CSV: Excel on Chinese Windows opens UTF-8 only with it."""


def cell_value(value, spreadsheet_format: str):
    """A date or time as the exports write it: Beijing wall-clock time, a
    naive datetime for an XLSX cell, site-style text for CSV; anything else
    unchanged."""
    if isinstance(value, datetime.datetime):
        if spreadsheet_format == "csv":
            return clock.cn_datetime(value)
        return clock.local_naive(value)
    if isinstance(value, datetime.date) and spreadsheet_format == "csv":
        return clock.cn_date(value)
    return value


def time_heading(heading: str) -> str:
    """``提交时间`` → ``提交时间（北京时间）``."""
    suffix = f"（{clock.TIME_ZONE_LABEL}）"
    return heading if heading.endswith(suffix) else heading + suffix


def _model_field(model, name: str):
    from django.core.exceptions import FieldDoesNotExist

    if model is None or "." in name or "__" in name:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def export_name(view) -> tuple[str, str]:
    """``(Chinese base name, ASCII base name)`` of a listing's download,
    both stamped with the Beijing time of the export. A view whose
    ``export_filename`` is Chinese falls back to its model's table name."""
    base = str(view.get_filename())
    if base.isascii():
        ascii_base = base
    else:
        model = getattr(view, "model", None)
        ascii_base = model._meta.db_table if model is not None else "export"
    return f"{base}-{clock.file_stamp()}", f"{ascii_base}-{clock.ascii_file_stamp()}"


def install() -> None:
    """Route every Wagtail spreadsheet export through :func:`safe_cell`,
    :func:`cell_value`, the choice labels, the headings and the file names
    of this module.

    Wagtail writes the CSV values raw (its XLSX writer only downgrades cells
    it detects as formulas, so ``+1``, ``-1+1`` and ``@SUM(A1)`` stay live
    there too, and a tab or CR prefix slips through). Its own report views
    (site history, aging and locked pages, workflows, search terms,
    redirects) cannot be subclassed from here, so the shared base class is
    wrapped once, at start-up (PortalConfig.ready)."""
    from django.http import FileResponse, StreamingHttpResponse
    from wagtail.admin.views.mixins import SpreadsheetExportMixin

    from portal.downloads import content_disposition

    if getattr(SpreadsheetExportMixin, "_portal_safe_cells", False):
        return
    preprocess = SpreadsheetExportMixin.preprocess_field_value
    heading = SpreadsheetExportMixin.get_heading
    to_row_dict = SpreadsheetExportMixin.to_row_dict
    write_xlsx = SpreadsheetExportMixin.write_xlsx

    def preprocess_field_value(self, field, value, export_format):
        value = cell_value(value, export_format)
        return safe_cell(preprocess(self, field, value, export_format))

    def get_heading(self, queryset, field):
        text = heading(self, queryset, field)
        model_field = _model_field(getattr(queryset, "model", None), field)
        if isinstance(model_field, datetime_fields()):
            text = time_heading(text)
        return safe_cell(text)

    def row_with_labels(self, item):
        row = to_row_dict(self, item)
        for field in row:
            model_field = _model_field(type(item), field)
            if model_field is not None and model_field.choices:
                row[field] = getattr(item, f"get_{field}_display")()
        return row

    def write_csv_response(self, queryset):
        def stream():
            yield BOM
            yield from self.stream_csv(queryset)

        name, ascii_name = export_name(self)
        response = StreamingHttpResponse(
            stream(), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = content_disposition(
            f"{name}.csv", f"{ascii_name}.csv"
        )
        return response

    def write_xlsx_response(self, queryset):
        from io import BytesIO

        output = BytesIO()
        write_xlsx(self, queryset, output)
        output.seek(0)
        name, ascii_name = export_name(self)
        response = FileResponse(
            output,
            content_type=(
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            ),
        )
        response["Content-Disposition"] = content_disposition(
            f"{name}.xlsx", f"{ascii_name}.xlsx"
        )
        return response

    SpreadsheetExportMixin.preprocess_field_value = preprocess_field_value
    SpreadsheetExportMixin.get_heading = get_heading
    SpreadsheetExportMixin.to_row_dict = row_with_labels
    SpreadsheetExportMixin.write_csv_response = write_csv_response
    SpreadsheetExportMixin.write_xlsx_response = write_xlsx_response
    SpreadsheetExportMixin._portal_safe_cells = True


def datetime_fields() -> tuple[type, ...]:
    from django.db.models import DateTimeField

    return (DateTimeField,)
