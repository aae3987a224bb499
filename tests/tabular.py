"""Reading CSV and XLSX downloads back, for tests (openpyxl reads what XlsxWriter wrote)."""
from __future__ import annotations

import csv
import io

from openpyxl import load_workbook


def xlsx_rows(data: bytes) -> list[list[str]]:
    """The first sheet's rows, every value as text ("" for empty), as a person reading it sees them."""
    sheet = load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
    return [["" if v is None else (str(int(v)) if isinstance(v, float) and v.is_integer() else str(v))
             for v in row] for row in sheet.iter_rows(values_only=True)]


def csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
