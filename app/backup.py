"""Back up every record the app keeps to JSON files, and restore them into an empty database.

``flask --app app export-all DIR`` writes one file per table (``NN-table.json``,
in an order where every row's references come before it) plus
``manifest.json`` (format, schema revision, row counts).
``flask --app app import-all DIR`` reads them back into a database that has
the same schema (``flask --app app db upgrade`` first) and holds no records.
Both walk ``db.metadata.sorted_tables``, so tables added later are included
without a change here. This is how a SQLite install moves to PostgreSQL.
"""

from __future__ import annotations

import base64
import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

import click
from flask.cli import with_appcontext
from sqlalchemy import Date, DateTime, Integer, LargeBinary, Table, func, select, text
from sqlalchemy.exc import DBAPIError

from app.extensions import db

__all__ = ["FORMAT", "export_all", "import_all", "restore", "snapshot"]

#: The ``format`` of a backup's manifest.
FORMAT = "claimpath-backup/1"
_MANIFEST = "manifest.json"


class BackupError(click.ClickException):
    """A backup cannot be written or restored; the message says why."""


def _revision() -> str | None:
    try:
        return db.session.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except DBAPIError:
        db.session.rollback()
        return None  # a database made by create_all, without migrations


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    return value


def _typed(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for name, value in row.items():
        column = table.columns.get(name)
        if column is None:
            raise BackupError(f"{table.name}: the column {name!r} is not in this database")
        if value is not None and isinstance(column.type, DateTime):
            value = datetime.fromisoformat(value)
        elif value is not None and isinstance(column.type, Date):
            value = date.fromisoformat(value)
        elif value is not None and isinstance(column.type, LargeBinary):
            value = base64.b64decode(value)
        out[name] = value
    return out


def _order(table: Table) -> list[Any]:
    return list(table.primary_key.columns) or list(table.columns)


def snapshot(folder: Path) -> dict[str, int]:
    """Write every table to ``folder`` and return the row count of each."""
    folder.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    for n, table in enumerate(db.metadata.sorted_tables, start=1):
        result = db.session.execute(select(table).order_by(*_order(table)))
        rows = [{k: _plain(v) for k, v in row.items()} for row in result.mappings()]
        body = {"table": table.name, "columns": [c.name for c in table.columns], "rows": rows}
        path = folder / f"{n:02d}-{table.name}.json"
        path.write_text(json.dumps(body, ensure_ascii=False, indent=1), encoding="utf-8")
        counts[table.name] = len(rows)
    manifest = {"format": FORMAT, "revision": _revision(), "tables": counts}
    (folder / _MANIFEST).write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    return counts


def restore(folder: Path) -> dict[str, int]:
    """Load the backup in ``folder`` into this empty database; return the rows of each table.

    Raises :class:`BackupError` (nothing written) when the folder is not a
    backup, its schema revision differs, or the database already holds records.
    """
    try:
        manifest = json.loads((folder / _MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError(f"{folder / _MANIFEST}: not a Claimpath backup ({exc})") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{folder / _MANIFEST}: format is not {FORMAT}")
    here = _revision()
    if manifest.get("revision") and here and manifest["revision"] != here:
        raise BackupError(
            f"the backup is of schema revision {manifest['revision']} but this database is at "
            f"{here}: run the version of Claimpath that made it, or upgrade both"
        )
    tables = {t.name: t for t in db.metadata.sorted_tables}
    full = [
        name for name, t in tables.items() if db.session.scalar(select(func.count()).select_from(t))
    ]
    if full:
        raise BackupError(
            f"the database is not empty ({', '.join(full)} hold records): "
            "restore into a new database"
        )
    files = {json.loads(p.read_text(encoding="utf-8"))["table"]: p for p in folder.glob("*-*.json")}
    unknown = set(files) - set(tables)
    if unknown:
        raise BackupError(
            f"the backup has tables this database lacks: {', '.join(sorted(unknown))}"
        )
    counts: dict[str, int] = {}
    try:
        for name, table in tables.items():
            if name not in files:
                continue
            rows = json.loads(files[name].read_text(encoding="utf-8"))["rows"]
            if rows:
                db.session.execute(table.insert(), [_typed(table, r) for r in rows])
            counts[name] = len(rows)
        _advance_sequences(tables.values())
        db.session.commit()
    except (DBAPIError, ValueError, KeyError) as exc:
        db.session.rollback()
        raise BackupError(f"nothing was restored: {exc}") from None
    return counts


def _advance_sequences(tables: Any) -> None:
    """On PostgreSQL, make each id sequence continue after the ids just restored."""
    if db.session.get_bind().dialect.name != "postgresql":
        return
    for table in tables:
        keys = list(table.primary_key.columns)
        if len(keys) != 1 or not isinstance(keys[0].type, Integer):
            continue
        column = keys[0]
        sequence = db.session.execute(
            text("SELECT pg_get_serial_sequence(:t, :c)"), {"t": table.name, "c": column.name}
        ).scalar()
        if sequence:
            top = db.session.scalar(select(func.max(column)))
            if top:
                db.session.execute(text("SELECT setval(:s, :v)"), {"s": sequence, "v": top})


@click.command("export-all")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@with_appcontext
def export_all(folder: Path) -> None:
    """Write every record of every table to JSON files in FOLDER."""
    counts = snapshot(folder)
    click.echo(f"Wrote {sum(counts.values())} records of {len(counts)} tables to {folder}.")


@click.command("import-all")
@click.argument("folder", type=click.Path(file_okay=False, exists=True, path_type=Path))
@with_appcontext
def import_all(folder: Path) -> None:
    """Restore the backup in FOLDER into this database, which must hold no records."""
    counts = restore(folder)
    click.echo(f"Restored {sum(counts.values())} records of {len(counts)} tables from {folder}.")
