"""Backup and restore of the whole database, the same way on SQLite and PostgreSQL.

A backup is one gzip'd JSON-lines file: a header (format, schema revision, and
per table its row count and checksum), then every row of every table in
dependency order. ``restore`` loads it into a migrated database at the same
schema revision — emptying it first — resets PostgreSQL's id sequences, and
checks the counts and checksums of every table against the header before it
commits: a restore that would lose anything is rolled back.

The checksum of a table is the SHA-256 of its rows in primary-key order, each
value in a canonical text form, so two databases of the same kind holding the
same rows give the same checksum."""
import base64
import gzip
import hashlib
import json
import os
from datetime import date, datetime, time
from decimal import Decimal

from blinker import Namespace
from flask import current_app
from sqlalchemy import delete, inspect, select, text

from consortium.core.clock import utcnow
from consortium.extensions import db

FORMAT = "cdou-backup-1"
BATCH = 2000


_signals = Namespace()
# Sent (with the app) after a restore was committed: subscribers drop what they keep in memory.
restored = _signals.signal("database-restored")
# Sent (with the app) by ``restore`` before the database's rows are replaced. A subscriber reads
# what must survive the restore (credentials revoked since the backup: auth.restore) and returns a
# function that ``restore`` calls once the backup's rows are loaded and verified, before the commit;
# the function returns a line for the operator (or None), listed in the header's ``carried_over``.
replacing = _signals.signal("database-replacing")

# Derived tables the database keeps itself (the resource map's change log, filled by triggers
# while the entries are loaded): not backed up, rebuilt by the restore.
DERIVED = {"catalog_changes"}


def _tables():
    return [t for t in db.metadata.sorted_tables if t.name not in DERIVED]


def _encode(value):
    if isinstance(value, datetime):
        return {"__dt": value.isoformat()}
    if isinstance(value, date):
        return {"__d": value.isoformat()}
    if isinstance(value, time):
        return {"__t": value.isoformat()}
    if isinstance(value, Decimal):
        return {"__dec": str(value)}
    if isinstance(value, (bytes, bytearray, memoryview)):
        return {"__b": base64.b64encode(bytes(value)).decode()}
    return value


def _decode(value):
    if isinstance(value, dict) and len(value) == 1:
        (tag, raw), = value.items()
        if tag == "__dt":
            return datetime.fromisoformat(raw)
        if tag == "__d":
            return date.fromisoformat(raw)
        if tag == "__t":
            return time.fromisoformat(raw)
        if tag == "__dec":
            return Decimal(raw)
        if tag == "__b":
            return base64.b64decode(raw)
    return value


def _canonical(value) -> str:
    if value is None:
        return "\x00"
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray, memoryview)):
        return base64.b64encode(bytes(value)).decode()
    if isinstance(value, (dict, list)):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    return str(value)


def _ordered(table):
    keys = list(table.primary_key.columns) or list(table.columns)
    return select(table).order_by(*keys)


def _rows(table):
    result = db.session.execute(_ordered(table).execution_options(yield_per=BATCH))
    for row in result:
        yield row


def table_checksums() -> dict[str, dict]:
    """Every table's row count and checksum."""
    sums = {}
    for table in _tables():
        digest, count = hashlib.sha256(), 0
        for row in _rows(table):
            digest.update("\x1f".join(_canonical(v) for v in row).encode("utf-8", "surrogatepass"))
            digest.update(b"\x1e")
            count += 1
        sums[table.name] = {"rows": count, "sha256": digest.hexdigest()}
    return sums


def schema_revision() -> str | None:
    if not inspect(db.session.connection()).has_table("alembic_version"):
        return None
    return db.session.execute(text("SELECT version_num FROM alembic_version")).scalar()


def backup(path) -> dict:
    """Writes the backup file; returns its header."""
    header = {"format": FORMAT, "dialect": db.engine.dialect.name, "revision": schema_revision(),
              "created_at": utcnow().isoformat(timespec="seconds"), "tables": table_checksums()}
    with open(path, "wb"):  # created empty, then made private before anything is written
        os.chmod(path, 0o600)  # password and token hashes are in it
    with gzip.open(path, "wt", encoding="utf-8") as f:
        f.write(json.dumps(header, ensure_ascii=False) + "\n")
        for table in _tables():
            columns = [c.name for c in table.columns]
            f.write(json.dumps({"table": table.name, "columns": columns}, ensure_ascii=False) + "\n")
            for row in _rows(table):
                f.write(json.dumps([_encode(v) for v in row], ensure_ascii=False) + "\n")
    return header


class RestoreError(Exception):
    pass


def read_header(path) -> dict:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        header = json.loads(f.readline())
    if header.get("format") != FORMAT:
        raise RestoreError(f"{path} is not a CDOU backup ({FORMAT})")
    return header


def restore(path) -> dict:
    """Replaces every row of the database with the backup's; checks counts and checksums
    before the caller commits (a mismatch raises RestoreError, and the caller rolls back)."""
    header = read_header(path)
    if header["revision"] != schema_revision():
        raise RestoreError(f"the backup is at schema revision {header['revision']}, the database at "
                           f"{schema_revision()}: run `flask db upgrade` to the same revision first")
    tables = {t.name: t for t in _tables()}
    unknown = set(header["tables"]) - set(tables)
    if unknown:
        raise RestoreError(f"tables unknown to this version: {sorted(unknown)}")
    carry_over = [fn for _, fn in replacing.send(current_app._get_current_object()) if fn is not None]
    for table in reversed(_tables()):
        db.session.execute(delete(table))
    with gzip.open(path, "rt", encoding="utf-8") as f:
        f.readline()
        table, columns, batch = None, None, []
        for line in f:
            item = json.loads(line)
            if isinstance(item, dict):
                _insert(table, columns, batch)
                table, columns, batch = tables[item["table"]], item["columns"], []
            else:
                batch.append(dict(zip(columns, (_decode(v) for v in item))))
                if len(batch) >= BATCH:
                    _insert(table, columns, batch)
                    batch = []
        _insert(table, columns, batch)
    _reset_sequences()
    db.session.flush()
    found = table_checksums()
    wrong = [name for name, expected in header["tables"].items() if found.get(name) != expected]
    if wrong:
        raise RestoreError(f"after loading, these tables differ from the backup: {wrong}")
    header["carried_over"] = [note for note in (apply() for apply in carry_over) if note]
    db.session.flush()
    return header


def _insert(table, columns, batch):
    if table is not None and batch:
        db.session.execute(table.insert(), batch)


def _reset_sequences():
    """PostgreSQL: the next id of every serial column follows the restored rows."""
    if db.engine.dialect.name != "postgresql":
        return
    for table in _tables():
        for column in table.primary_key.columns:
            if column.autoincrement is True or (column.autoincrement == "auto" and column.type.python_type is int
                                                and len(table.primary_key.columns) == 1):
                seq = db.session.execute(text("SELECT pg_get_serial_sequence(:t, :c)"),
                                         {"t": table.name, "c": column.name}).scalar()
                if seq:
                    db.session.execute(text(f"SELECT setval('{seq}', COALESCE((SELECT MAX({column.name}) "
                                            f"FROM {table.name}), 0) + 1, false)"))
