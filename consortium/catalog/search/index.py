"""The text index, kept by the database itself (no writer can skip it, no writer waits for
another), and the SQL form of the matching rules.

PostgreSQL
    ``catalog_grams(title, description, keywords, department)`` is an IMMUTABLE SQL function
    returning the distinct 1- and 2-character grams of the entry's own text, case-folded
    exactly like ``text.text_grams`` (tests compare both on every row). A GIN expression
    index over it (array_ops) answers ``grams @> ARRAY[...]``: the grams live only in the
    index, not in the table.
SQLite
    ``resource_text`` is a contentless FTS5 table (detail=none) whose tokens are the same
    grams (hex-encoded, so that the ``ascii`` tokenizer keeps each one whole), kept by
    triggers that call ``catalog_grams``, a deterministic function registered on every
    connection of the engine.

Both databases also log every change to ``catalog_changes`` by trigger (see
``columns.py``): a writer appends a row of its own, it never updates a shared one.

A one- or two-character term *is* a gram (the index answer is exact); a longer term
needs all of a spread of its bigrams, then a plain substring check of the candidates.
"""
from __future__ import annotations

import contextlib
import sqlite3

from sqlalchemy import Text, and_, cast, column, event, false, func, literal_column, or_, select, table, true, union
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Engine
from sqlalchemy.orm import aliased

from consortium.extensions import db
from consortium.geo.models import City, Province
from consortium.members.models import Member

from ..models import DataResource
from . import text as t

FTS_TABLE = "resource_text"
PG_INDEX = "ix_data_resources_grams"


# --------------------------------------------------------------------------- DDL

def _pg_string(value: str) -> str:
    return "E'" + "".join(ch if ch.isalnum() and ord(ch) < 128 else f"\\u{ord(ch):04x}" for ch in value) + "'"


def pg_gram_function() -> str:
    """The grams in PL/pgSQL: one pass over the characters (a set-based SQL version with
    ``generate_series`` and ``substr`` was 2-4x slower: ``substr`` on UTF-8 text is linear).
    It returns each gram as often as it occurs; a GIN index keeps each distinct key once per
    row, so the index holds exactly the distinct grams ``text.text_grams`` computes."""
    fold_from = t.UPPER + t.WHITESPACE
    fold_to = t.LOWER + "\n" * len(t.WHITESPACE)
    return f"""
CREATE OR REPLACE FUNCTION catalog_grams(title text, description text, keywords text, department text)
RETURNS text[] LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE COST 1000 AS $$
DECLARE
  chars text[] := string_to_array(translate(coalesce(title, '') || chr(10) || coalesce(description, '') || chr(10)
                                            || coalesce(keywords, '') || chr(10) || coalesce(department, ''),
                                            {_pg_string(fold_from)}, {_pg_string(fold_to)}), NULL);
  grams text[] := '{{}}';
  prev text := chr(10);
  c text;
BEGIN
  FOREACH c IN ARRAY chars LOOP
    IF c <> chr(10) THEN
      grams := grams || c;
      IF prev <> chr(10) THEN
        grams := grams || (prev || c);
      END IF;
    END IF;
    prev := c;
  END LOOP;
  RETURN grams;
END $$"""


PG_LOG_FUNCTION = """
CREATE OR REPLACE FUNCTION catalog_log_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  x bigint := pg_current_xact_id()::text::bigint;
BEGIN
  IF TG_TABLE_NAME <> 'data_resources' THEN
    INSERT INTO catalog_changes (kind, xid) VALUES ('N', x);
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO catalog_changes (kind, resource_id, xid) SELECT 'D', id, x FROM old_rows;
  ELSE
    INSERT INTO catalog_changes (kind, resource_id, xid) SELECT 'W', id, x FROM new_rows;
  END IF;
  RETURN NULL;
END $$"""

_NAMED = (("members", "name, name_en, code, city_id"), ("cities", "name, name_en, province_id"),
          ("provinces", "name, name_en, code"))


def pg_ddl() -> list[str]:
    statements = [pg_gram_function(), PG_LOG_FUNCTION,
                  f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON data_resources USING gin "
                  "(catalog_grams(title, description, keywords, department))"]
    for op, rows in (("INSERT", "NEW TABLE AS new_rows"), ("UPDATE", "NEW TABLE AS new_rows"),
                     ("DELETE", "OLD TABLE AS old_rows")):
        statements.append(f"CREATE OR REPLACE TRIGGER data_resources_log_{op.lower()} AFTER {op} ON data_resources "
                          f"REFERENCING {rows} FOR EACH STATEMENT EXECUTE FUNCTION catalog_log_change()")
    for named, columns in _NAMED:
        statements.append(f"CREATE OR REPLACE TRIGGER {named}_log_names AFTER INSERT OR DELETE OR UPDATE OF {columns} "
                          f"ON {named} FOR EACH STATEMENT EXECUTE FUNCTION catalog_log_change()")
    return statements


_SQLITE_GRAMS = "catalog_grams({p}.title, {p}.description, {p}.keywords, {p}.department)"


def sqlite_ddl() -> list[str]:
    new, old = _SQLITE_GRAMS.format(p="new"), _SQLITE_GRAMS.format(p="old")
    statements = [
        f"DROP TABLE IF EXISTS {FTS_TABLE}",
        f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(grams, content='', detail=none, tokenize='ascii')",
        f"""CREATE TRIGGER IF NOT EXISTS data_resources_text_insert AFTER INSERT ON data_resources BEGIN
              INSERT INTO {FTS_TABLE} (rowid, grams) VALUES (new.id, {new});
              INSERT INTO catalog_changes (kind, resource_id) VALUES ('W', new.id);
            END""",
        f"""CREATE TRIGGER IF NOT EXISTS data_resources_text_update AFTER UPDATE OF title, description, keywords, department
              ON data_resources BEGIN
              INSERT INTO {FTS_TABLE} ({FTS_TABLE}, rowid, grams) VALUES ('delete', old.id, {old});
              INSERT INTO {FTS_TABLE} (rowid, grams) VALUES (new.id, {new});
            END""",
        """CREATE TRIGGER IF NOT EXISTS data_resources_log_update AFTER UPDATE ON data_resources BEGIN
              INSERT INTO catalog_changes (kind, resource_id) VALUES ('W', new.id);
            END""",
        f"""CREATE TRIGGER IF NOT EXISTS data_resources_text_delete AFTER DELETE ON data_resources BEGIN
              INSERT INTO {FTS_TABLE} ({FTS_TABLE}, rowid, grams) VALUES ('delete', old.id, {old});
              INSERT INTO catalog_changes (kind, resource_id) VALUES ('D', old.id);
            END""",
    ]
    for named, columns in _NAMED:
        for op in ("INSERT", "DELETE", f"UPDATE OF {columns}"):
            name = f"{named}_log_names_{op.split()[0].lower()}"
            statements.append(f"CREATE TRIGGER IF NOT EXISTS {name} AFTER {op} ON {named} BEGIN "
                              "INSERT INTO catalog_changes (kind) VALUES ('N'); END")
    return statements


def install(connection) -> None:
    """Create the index, the gram function and the triggers (create_all and migrations);
    on SQLite also fill the FTS table from the rows already there (a backfill)."""
    dialect = connection.dialect.name
    if dialect == "postgresql":
        for statement in pg_ddl():
            connection.exec_driver_sql(statement)
    elif dialect == "sqlite":
        for statement in sqlite_ddl():
            connection.exec_driver_sql(statement)
        connection.exec_driver_sql(f"INSERT INTO {FTS_TABLE} (rowid, grams) SELECT id, "
                                   f"{_SQLITE_GRAMS.format(p='data_resources')} FROM data_resources")


def rebuild(connection) -> None:
    """Rebuild the text index from the rows (repairs only: the database keeps it)."""
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"REINDEX INDEX {PG_INDEX}")
    else:
        install(connection)


def uninstall(connection) -> None:
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql("DROP FUNCTION IF EXISTS catalog_grams(text, text, text, text) CASCADE")
        connection.exec_driver_sql("DROP FUNCTION IF EXISTS catalog_log_change() CASCADE")
    elif connection.dialect.name == "sqlite":
        connection.exec_driver_sql(f"DROP TABLE IF EXISTS {FTS_TABLE}")


@event.listens_for(db.metadata, "after_create")
def _after_create(target, connection, **kw):
    install(connection)


@event.listens_for(db.metadata, "before_drop")
def _before_drop(target, connection, **kw):
    uninstall(connection)


def fts_tokens(title, description, keywords, department) -> str:
    """The SQLite FTS5 document of an entry: its grams, hex-encoded, in a fixed order."""
    return " ".join(sorted(g.encode().hex() for g in t.text_grams(title, description, keywords, department)))


@event.listens_for(Engine, "connect")
def _register_sqlite_function(dbapi_connection, connection_record):
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.create_function("catalog_grams", 4, fts_tokens, deterministic=True)


# PostgreSQL charges the gram function to every row a bitmap heap scan returns (it assumes
# the index condition is rechecked) as it does to every row of a sequential scan, so for a
# common gram (数: every row) it picks the sequential scan -- which really computes the grams
# of every row (14 s at 100k). Statements that match through the index are therefore
# planned without sequential scans: for them the GIN index is always the way in.
_SEQSCAN_OFF = "catalog_seqscan_off"


@contextlib.contextmanager
def index_only_plans(connection):
    """Around driver-level statements that match through the gram index (PostgreSQL)."""
    if connection.dialect.name != "postgresql":
        yield
        return
    connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
    try:
        yield
    finally:
        connection.exec_driver_sql("SET LOCAL enable_seqscan TO DEFAULT")


@event.listens_for(Engine, "before_cursor_execute")
def _plan_on_the_index(conn, cursor, statement, parameters, context, executemany):
    if conn.dialect.name == "postgresql" and not executemany and "catalog_grams(" in statement \
            and statement.lstrip()[:6].upper() in ("SELECT", "WITH", "UPDATE", "DELETE", "INSERT"):
        side = conn.connection.dbapi_connection.cursor()
        side.execute("SET LOCAL enable_seqscan = off")
        side.close()
        conn.info[_SEQSCAN_OFF] = True


@event.listens_for(Engine, "after_cursor_execute")
def _plan_as_usual(conn, cursor, statement, parameters, context, executemany):
    if conn.info.pop(_SEQSCAN_OFF, None):
        side = conn.connection.dbapi_connection.cursor()
        side.execute("SET LOCAL enable_seqscan TO DEFAULT")
        side.close()


@event.listens_for(Engine, "handle_error")
def _plan_as_usual_after_error(context):
    if context.connection is not None:
        context.connection.info.pop(_SEQSCAN_OFF, None)


def not_an_orm_table(obj, name, type_, reflected, compare_to) -> bool:
    """Alembic ``include_object``: the FTS5 table (with its shadow tables) and the GIN
    expression index belong to the search index, not to the models."""
    if not reflected or compare_to is not None:
        return True
    return not ((type_ == "table" and name.startswith(FTS_TABLE)) or (type_ == "index" and name == PG_INDEX))


# --------------------------------------------------------------------------- SQL form

def dialect_name() -> str:
    return db.session.get_bind().dialect.name


def like_pattern(term: str) -> str:
    return "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def contains_clause(column, term: str, dialect: str):
    """``term`` (normalised) occurs in ``column``, ASCII letters case-insensitively."""
    pattern = like_pattern(term)
    if dialect == "sqlite":  # SQLite's LIKE folds exactly the ASCII letters
        return column.like(pattern, escape="\\")
    return func.translate(column, t.UPPER, t.LOWER).like(pattern, escape="\\")


_fts = table(FTS_TABLE, column("rowid"))  # SQLite only; not in the models' metadata


def _fts_query(grams: list[str]) -> str:
    return " AND ".join(f'"{g.encode().hex()}"' for g in grams)


def entry_clause(term: str, dialect: str, r=DataResource):
    """SQL condition on ``r``: ``term`` occurs in the entry's own text (its indexed columns)."""
    grams = t.term_grams(term)
    if dialect == "postgresql":
        condition = func.catalog_grams(r.title, r.description, r.keywords, r.department).op("@>")(
            cast(postgresql.array(grams), postgresql.ARRAY(Text)))
    else:
        condition = r.id.in_(select(_fts.c.rowid).where(literal_column(FTS_TABLE).op("MATCH")(_fts_query(grams))))
    if len(term) > 2:
        condition = and_(condition, or_(*(contains_clause(getattr(r, f), term, dialect) for f in t.ENTRY_FIELDS)))
    return condition


def term_ids(term: str, dialect: str):
    """A SELECT of the ids of the entries whose searchable text contains ``term``: a UNION of
    the index lookup and of the entries whose member, city, province or domain names contain
    it (each an indexed lookup by id). Used as ``id IN (...)``, it plans as a semi-join:
    an OR of these conditions would make the database compute the grams of every row."""
    r = aliased(DataResource)

    def named(model):
        return or_(contains_clause(model.name, term, dialect), contains_clause(model.name_en, term, dialect))
    arms = [select(r.id).where(entry_clause(term, dialect, r)),
            select(r.id).where(r.member_id.in_(select(Member.id).where(named(Member)))),
            select(r.id).where(r.city_id.in_(select(City.id).where(named(City)))),
            select(r.id).where(r.city_id.in_(select(City.id).join(Province, Province.id == City.province_id)
                                              .where(named(Province))))]
    domains = t.domains_matching(term)
    if domains:
        arms.append(select(r.id).where(r.domain.in_(domains)))
    return union(*arms)


def text_clause(terms: list[str], dialect: str | None = None):
    """SQL condition on DataResource: every term occurs in the entry's searchable text."""
    dialect = dialect or dialect_name()
    conditions = [DataResource.id.in_(term_ids(term, dialect)) for term in terms]
    return and_(*conditions) if conditions else true()


def entry_ids_sql(term: str, dialect: str) -> tuple[str, tuple]:
    """Driver SQL (and parameters) for the ids of the entries whose own text contains
    ``term``: the in-memory search reads these once per term and snapshot."""
    grams = t.term_grams(term)
    checks, params = "", ()
    if len(term) > 2:
        if dialect == "postgresql":
            checks = " AND (" + " OR ".join(f"translate({f}, %s, %s) LIKE %s" for f in t.ENTRY_FIELDS) + ")"
            params = tuple(x for _f in t.ENTRY_FIELDS for x in (t.UPPER, t.LOWER, like_pattern(term)))
        else:
            checks = " AND (" + " OR ".join(f"{f} LIKE ? ESCAPE '\\'" for f in t.ENTRY_FIELDS) + ")"
            params = tuple(like_pattern(term) for _f in t.ENTRY_FIELDS)
    if dialect == "postgresql":
        return ("SELECT id FROM data_resources WHERE catalog_grams(title, description, keywords, department)"
                " @> %s::text[]" + checks, (grams,) + params)
    if not checks:
        return f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ?", (_fts_query(grams),)
    return (f"SELECT id FROM data_resources WHERE id IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} "
            f"MATCH ?){checks}", (_fts_query(grams),) + params)


__all__ = ["install", "uninstall", "text_clause", "entry_clause", "term_ids", "entry_ids_sql", "not_an_orm_table",
           "index_only_plans", "false"]
