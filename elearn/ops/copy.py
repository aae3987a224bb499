"""Copying every row of the site from one database to another (SQLite → PostgreSQL).

Rows are read and written through the models' own column types, so what SQLite keeps as text or
integers arrives as what PostgreSQL should hold: timezone-aware timestamps (``UTCDateTime``),
JSON documents, booleans, dates and binary assets. Tables go parents first; a column that points
into its own table (the unit tree) is filled in a second pass, so a child may have a smaller id
than its parent. Ids are kept, and PostgreSQL's sequences are moved past them afterwards.
Values the target would refuse or cut (text longer than its column, NUL characters) stop the
copy with the table, row and column named.
"""
from __future__ import annotations

from sqlalchemy import Integer, MetaData, String, Table, bindparam, func, select, text
from sqlalchemy.engine import Connection

from elearn.ops.archive import BackupError

BATCH = 500


def _self_references(table: Table) -> list[str]:
    return [fk.parent.name for fk in table.foreign_keys if fk.column.table is table]


def _check_values(table: Table, row: dict) -> None:
    for column in table.columns:
        value = row.get(column.name)
        if not isinstance(value, str):
            continue
        where = f"{table.name} row {_row_key(table, row)}, column {column.name}"
        length = getattr(column.type, "length", None)
        if isinstance(column.type, String) and length and len(value) > length:
            raise BackupError("too_long", f"{where}: {len(value)} characters, the column holds {length}; "
                                          "shorten it in the site before moving")
        if "\x00" in value:
            raise BackupError("nul_character", f"{where}: holds a NUL character, which PostgreSQL refuses")


def _row_key(table: Table, row: dict) -> str:
    return ", ".join(f"{c.name}={row.get(c.name)}" for c in table.primary_key.columns)


def copy_table(source: Connection, target: Connection, table: Table) -> int:
    """Copy every row of ``table``; the number copied."""
    later = _self_references(table)
    pk = list(table.primary_key.columns)
    pending_links: list[dict] = []
    copied = 0
    result = source.execution_options(yield_per=BATCH).execute(select(table).order_by(*pk))
    for rows in result.partitions():
        batch = []
        for row in rows:
            values = dict(row._mapping)
            _check_values(table, values)
            for name in later:
                if values.get(name) is not None:
                    pending_links.append({**{f"pk_{c.name}": values[c.name] for c in pk},
                                          f"link_{name}": values[name], "column": name})
                    values[name] = None
            batch.append(values)
        target.execute(table.insert(), batch)
        copied += len(batch)
    for name in later:
        links = [{k: v for k, v in link.items() if k != "column"} for link in pending_links if link["column"] == name]
        if links:
            condition = [c == bindparam(f"pk_{c.name}") for c in pk]
            target.execute(table.update().where(*condition).values({name: bindparam(f"link_{name}")}), links)
    return copied


def reset_sequences(target: Connection, metadata: MetaData) -> None:
    """Move each PostgreSQL id sequence past the largest copied id (new rows must not collide)."""
    if target.dialect.name != "postgresql":
        return
    for table in metadata.sorted_tables:
        pk = list(table.primary_key.columns)
        if len(pk) != 1 or not isinstance(pk[0].type, Integer):
            continue
        sequence = target.execute(text("SELECT pg_get_serial_sequence(:t, :c)"),
                                  {"t": table.name, "c": pk[0].name}).scalar()
        if sequence is None:
            continue
        largest = target.execute(select(func.max(pk[0]))).scalar()
        target.execute(text("SELECT setval(:s, :v, :called)"),
                       {"s": sequence, "v": largest or 1, "called": largest is not None})


def copy_site(source: Connection, target: Connection, metadata: MetaData) -> dict[str, int]:
    """Copy every table of ``metadata`` (parents first) and fix the sequences; rows copied per table."""
    copied = {table.name: copy_table(source, target, table) for table in metadata.sorted_tables}
    reset_sequences(target, metadata)
    return copied
