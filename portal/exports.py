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
every export changes in one place.
"""

from __future__ import annotations

from collections.abc import Iterable

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


def install() -> None:
    """Route every Wagtail spreadsheet export through :func:`safe_cell`.

    Wagtail writes the CSV values raw (its XLSX writer only downgrades cells
    it detects as formulas, so ``+1``, ``-1+1`` and ``@SUM(A1)`` stay live
    there too, and a tab or CR prefix slips through). Its own report views
    (site history, aging and locked pages, workflows, search terms,
    redirects) cannot be subclassed from here, so the shared base class is
    wrapped once, at start-up (PortalConfig.ready)."""
    from wagtail.admin.views.mixins import SpreadsheetExportMixin

    if getattr(SpreadsheetExportMixin, "_portal_safe_cells", False):
        return
    preprocess = SpreadsheetExportMixin.preprocess_field_value
    heading = SpreadsheetExportMixin.get_heading

    def preprocess_field_value(self, field, value, export_format):
        return safe_cell(preprocess(self, field, value, export_format))

    def get_heading(self, queryset, field):
        return safe_cell(heading(self, queryset, field))

    SpreadsheetExportMixin.preprocess_field_value = preprocess_field_value
    SpreadsheetExportMixin.get_heading = get_heading
    SpreadsheetExportMixin._portal_safe_cells = True
