"""Tables to CSV and XLSX downloads (XlsxWriter: well kept, write-only, constant memory)."""
from __future__ import annotations

import csv
import io
from datetime import date, datetime

import xlsxwriter


def _plain(value):
    if isinstance(value, datetime):
        return value.isoformat(timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else value


def to_csv(headers: list[str], rows: list[list]) -> bytes:
    """UTF-8 with a byte-order mark, so spreadsheet programs open accents correctly."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([_safe_cell(_plain(v)) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _safe_cell(value):
    """Text starting with = + - @ is a formula to a spreadsheet: prefix it (CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def to_xlsx(sheet: str, headers: list[str], rows: list[list]) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False,
                                     "strings_to_urls": False})
    ws = book.add_worksheet(sheet[:31])
    bold = book.add_format({"bold": True})
    ws.write_row(0, 0, headers, bold)
    ws.freeze_panes(1, 0)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            value = _plain(value)
            if isinstance(value, (int, float)):
                ws.write_number(r, c, value)
            else:
                ws.write_string(r, c, str(value))
    for c, header in enumerate(headers):
        ws.set_column(c, c, max(10, min(40, len(header) + 2)))
    book.close()
    return out.getvalue()
