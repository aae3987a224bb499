"""Reading CSV and XLSX downloads back, for tests."""
from __future__ import annotations

import csv
import io
import zipfile
from xml.etree import ElementTree


def xlsx_rows(data: bytes) -> list[list[str]]:
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
        shared = [si.findtext("m:t", default="", namespaces=ns) or "".join(
            t.text or "" for t in si.iter(f"{{{ns['m']}}}t"))
            for si in ElementTree.fromstring(book.read("xl/sharedStrings.xml")).findall("m:si", ns)]
        sheet = ElementTree.fromstring(book.read("xl/worksheets/sheet1.xml"))
        rows = []
        for row in sheet.iter(f"{{{ns['m']}}}row"):
            values = []
            for cell in row.findall("m:c", ns):
                value = cell.findtext("m:v", default="", namespaces=ns)
                values.append(shared[int(value)] if cell.get("t") == "s" else value)
            rows.append(values)
        return rows


def csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
