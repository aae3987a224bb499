"""Tables to CSV and XLSX downloads (XlsxWriter: well kept, write-only, constant memory).

Large tables are streamed: ``csv_chunks`` yields the CSV as rows arrive, ``xlsx_chunks`` writes the
workbook row by row in XlsxWriter's constant-memory mode into a temporary file and then yields it,
so a 150,000-row export never holds its rows (or the workbook) in memory.
"""
from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterable, Iterator
from datetime import date, datetime

import xlsxwriter

CHUNK_BYTES = 64 * 1024


def _plain(value):
    if isinstance(value, datetime):
        return value.isoformat(timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else value


def to_csv(headers: list[str], rows: Iterable[list]) -> bytes:
    """UTF-8 with a byte-order mark, so spreadsheet programs open accents correctly."""
    return b"".join(csv_chunks(headers, rows))


def csv_chunks(headers: list[str], rows: Iterable[list], batch: int = 500) -> Iterator[bytes]:
    """The CSV of ``to_csv`` in pieces, ``batch`` rows at a time, as ``rows`` yields them."""
    out = io.StringIO()
    writer = csv.writer(out)
    out.write("\ufeff")
    writer.writerow(headers)
    for n, row in enumerate(rows, start=1):
        writer.writerow([_safe_cell(_plain(v)) for v in row])
        if n % batch == 0:
            yield out.getvalue().encode("utf-8")
            out.seek(0)
            out.truncate()
    yield out.getvalue().encode("utf-8")


def _safe_cell(value):
    """Text starting with = + - @ is a formula to a spreadsheet: prefix it (CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def to_xlsx(sheet: str, headers: list[str], rows: Iterable[list]) -> bytes:
    return b"".join(xlsx_chunks(sheet, headers, rows))


def xlsx_chunks(sheet: str, headers: list[str], rows: Iterable[list]) -> Iterator[bytes]:
    """The workbook of one sheet, written row by row in constant memory, then yielded in pieces."""
    with tempfile.TemporaryFile() as out:
        _write_xlsx(out, sheet, headers, rows)
        out.seek(0)
        while chunk := out.read(CHUNK_BYTES):
            yield chunk


def _write_xlsx(out, sheet: str, headers: list[str], rows: Iterable[list]) -> None:
    # constant_memory: each row is flushed to a temporary file once the next one starts
    book = xlsxwriter.Workbook(out, {"constant_memory": True, "strings_to_formulas": False,
                                     "strings_to_urls": False})
    ws = book.add_worksheet(sheet[:31])
    bold = book.add_format({"bold": True})
    for c, header in enumerate(headers):  # widths first: constant-memory mode writes rows in order
        ws.set_column(c, c, max(10, min(40, len(header) + 2)))
    ws.write_row(0, 0, headers, bold)
    ws.freeze_panes(1, 0)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            value = _plain(value)
            if isinstance(value, (int, float)):
                ws.write_number(r, c, value)
            else:
                ws.write_string(r, c, str(value))
    book.close()
