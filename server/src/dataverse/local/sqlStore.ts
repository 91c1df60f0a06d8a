import { closeSync, openSync } from "node:fs";

import Database from "better-sqlite3";

import type { ColumnType } from "../model";
import { isLookup } from "../model";
import { DataverseHttpError, ERROR_CODES, LocalDataverseStartError } from "./errors";
import { SHARES_DDL } from "./shares";
import { ALL_INFOS, q, type TableInfo, targetColumn } from "./tableInfo";
import type { Row, SqlValue } from "./values";

/**
 * The SQLite file behind the local endpoint: one SQL table per model table, a column per model column
 * (a lookup as its id plus its target table), the system columns, unique indexes for alternate keys.
 * The schema is created or widened on open, so a file written by an older model keeps working.
 */

const META_TABLE = "_rapport_meta";
const SCHEMA_MARK = "rapport-local-dataverse";

/** The SQLite declaration of each column type. */
const SQL_TYPES: Record<ColumnType, string> = {
  // Dataverse compares, sorts and keys text without regard to case (its SQL collation).
  string: "TEXT COLLATE NOCASE",
  memo: "TEXT COLLATE NOCASE",
  uniqueidentifier: "TEXT",
  datetime: "TEXT",
  dateonly: "TEXT",
  lookup: "TEXT",
  customer: "TEXT",
  owner: "TEXT",
  decimal: "REAL",
  double: "REAL",
  money: "REAL",
  integer: "INTEGER",
  boolean: "INTEGER",
  picklist: "INTEGER",
  state: "INTEGER",
  status: "INTEGER",
};

/** The SQL columns of a table: [name, declaration]. */
export function sqlColumns(info: TableInfo): [string, string][] {
  const out: [string, string][] = [];
  for (const c of info.columns) {
    if (c === info.primaryId) continue;
    out.push([c.name, SQL_TYPES[c.type]]);
    if (isLookup(c)) out.push([targetColumn(c), "TEXT"]);
  }
  return out;
}

function ensureSchema(db: Database.Database): void {
  db.exec(`CREATE TABLE IF NOT EXISTS ${META_TABLE} (key TEXT PRIMARY KEY, value TEXT NOT NULL)`);
  db.prepare(`INSERT OR IGNORE INTO ${META_TABLE} (key, value) VALUES ('schema', ?)`).run(SCHEMA_MARK);
  db.prepare(`INSERT OR IGNORE INTO ${META_TABLE} (key, value) VALUES ('version', '0')`).run();
  db.exec(SHARES_DDL);
  for (const info of ALL_INFOS) {
    const table = q(info.def.logicalName);
    const cols = sqlColumns(info);
    db.exec(
      `CREATE TABLE IF NOT EXISTS ${table} (${q(info.primaryId.name)} TEXT PRIMARY KEY NOT NULL, ${cols
        .map(([n, t]) => `${q(n)} ${t}`)
        .join(", ")})`,
    );
    const existing = new Set(
      (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((r) => r.name),
    );
    for (const [n, t] of cols) if (!existing.has(n)) db.exec(`ALTER TABLE ${table} ADD COLUMN ${q(n)} ${t}`);
    for (const key of info.def.alternateKeys ?? [])
      db.exec(
        `CREATE UNIQUE INDEX IF NOT EXISTS ${q(`ak_${key.schemaName}`)} ON ${table} (${key.columns.map(q).join(", ")})`,
      );
    // Lookups are read from both ends (expand of a collection, unlink on delete).
    for (const c of info.columns)
      if (isLookup(c))
        db.exec(
          `CREATE INDEX IF NOT EXISTS ${q(`ix_${info.def.logicalName}_${c.name}`)} ON ${table} (${q(c.name)})`,
        );
  }
}

/**
 * SQLite's own limits (expression depth 1,000, 32,766 bound values, ...), met by a query the request
 * limits let through: a 400 naming the limit, not a 500. Read by message: better-sqlite3's errors can come
 * from another realm (see open()).
 */
const SQLITE_LIMITS =
  /Expression tree is too large|too many SQL variables|parser stack overflow|too many terms in compound SELECT|LIKE or GLOB pattern too complex|string or blob too big/i;

function tooComplexForSqlite(err: unknown): DataverseHttpError | undefined {
  const message = (err as { message?: unknown } | null)?.message;
  if (typeof message !== "string") return undefined;
  const limit = SQLITE_LIMITS.exec(message)?.[0];
  if (!limit) return undefined;
  return new DataverseHttpError(
    400,
    ERROR_CODES.query,
    `The query is too complex for the local Dataverse endpoint (SQLite: ${limit.toLowerCase()}); split it into smaller queries.`,
    { cause: err },
  );
}

/**
 * Creates a missing database file readable by its owner only (0600): it holds the org's records. SQLite
 * gives the -wal and -shm files it creates beside it the same mode. An existing file keeps its mode.
 */
function createPrivately(file: string): void {
  if (file === ":memory:" || file === "") return;
  try {
    closeSync(openSync(file, "wx", 0o600));
  } catch (err) {
    if ((err as { code?: unknown }).code !== "EEXIST") throw err;
  }
}

export class SqlStore {
  private readonly statements = new Map<string, Database.Statement>();

  private constructor(readonly db: Database.Database) {}

  /** Opens (or creates) the file and brings its schema up to the model. */
  static open(file: string): SqlStore {
    let db: Database.Database | undefined;
    try {
      createPrivately(file);
      db = new Database(file);
      if (file !== ":memory:") db.pragma("journal_mode = WAL");
      db.pragma("synchronous = NORMAL");
      const mark = db
        .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?`)
        .get(META_TABLE) as { name: string } | undefined;
      const tables = (
        db.prepare(`SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'`).get() as {
          n: number;
        }
      ).n;
      // An SQLite file of something else is left alone rather than filled with our tables.
      if (!mark && tables > 0) throw new Error("file is an SQLite database of another application");
      ensureSchema(db);
      return new SqlStore(db);
    } catch (err) {
      db?.close();
      // better-sqlite3's native module is loaded once per process, so its errors can come from another
      // realm (e.g. another jest module registry) where `instanceof Error` is false: read the message.
      const message = (err as { message?: unknown } | null)?.message;
      const reason = typeof message === "string" ? message : String(err);
      throw new LocalDataverseStartError(`${file} is not a Rapport Dataverse database: ${reason}`, {
        cause: err,
      });
    }
  }

  close(): void {
    this.statements.clear();
    if (this.db.open) this.db.close();
  }

  /** A prepared statement, cached by its text (the text holds only model identifiers and `?`). */
  statement(sql: string): Database.Statement {
    let s = this.statements.get(sql);
    if (!s) {
      if (this.statements.size > 500) this.statements.clear();
      try {
        s = this.db.prepare(sql);
      } catch (err) {
        throw tooComplexForSqlite(err) ?? err;
      }
      this.statements.set(sql, s);
    }
    return s;
  }

  all(sql: string, params: readonly SqlValue[]): Row[] {
    return this.statement(sql).all(...params) as Row[];
  }

  get(sql: string, params: readonly SqlValue[]): Row | undefined {
    return this.statement(sql).get(...params) as Row | undefined;
  }

  /** Runs `fn` in a transaction (a savepoint when nested): any throw rolls it back. */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  /** The next row version, monotonic over the whole file (what @odata.etag carries). */
  nextVersion(): number {
    const row = this.statement(
      `UPDATE ${META_TABLE} SET value = CAST(value AS INTEGER) + 1 WHERE key = 'version' RETURNING value`,
    ).get() as { value: number | string };
    return Number(row.value);
  }

  getById(info: TableInfo, id: string): Row | undefined {
    return this.get(`SELECT * FROM ${q(info.def.logicalName)} WHERE ${q(info.primaryId.name)} = ?`, [id]);
  }

  getByColumns(info: TableInfo, values: [string, SqlValue][]): Row | undefined {
    const where = values.map(([n]) => `${q(n)} = ?`).join(" AND ");
    return this.get(
      `SELECT * FROM ${q(info.def.logicalName)} WHERE ${where} LIMIT 1`,
      values.map(([, v]) => v),
    );
  }

  insert(info: TableInfo, row: Row): void {
    const names = Object.keys(row);
    this.run(
      info,
      `INSERT INTO ${q(info.def.logicalName)} (${names.map(q).join(", ")}) VALUES (${names.map(() => "?").join(", ")})`,
      names.map((n) => row[n] ?? null),
      row,
    );
  }

  update(info: TableInfo, id: string, changes: Row): void {
    const names = Object.keys(changes);
    if (!names.length) return;
    this.run(
      info,
      `UPDATE ${q(info.def.logicalName)} SET ${names.map((n) => `${q(n)} = ?`).join(", ")} WHERE ${q(info.primaryId.name)} = ?`,
      [...names.map((n) => changes[n] ?? null), id],
      changes,
    );
  }

  delete(info: TableInfo, id: string): boolean {
    return (
      this.statement(`DELETE FROM ${q(info.def.logicalName)} WHERE ${q(info.primaryId.name)} = ?`).run(id)
        .changes > 0
    );
  }

  private run(info: TableInfo, sql: string, params: SqlValue[], row?: Row): void {
    try {
      this.statement(sql).run(...params);
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      if (code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY")
        throw duplicateOnWrite(this, info, row, err);
      throw err;
    }
  }
}

function duplicateOnWrite(
  store: SqlStore,
  info: TableInfo,
  row: Row | undefined,
  err: unknown,
): DataverseHttpError {
  // Which key was hit is read from the data, not from SQLite's message text.
  const key = row
    ? info.def.alternateKeys?.find(
        (k) =>
          k.columns.every((c) => row[c] !== undefined && row[c] !== null) &&
          store.getByColumns(
            info,
            k.columns.map((c) => [c, row[c] ?? null]),
          ) !== undefined,
      )
    : undefined;
  return new DataverseHttpError(
    412,
    ERROR_CODES.duplicateRecord,
    key
      ? `A record that has the attribute values ${key.columns.join(", ")} already exists. The entity key ${key.schemaName} requires that this set of attributes contains unique values. Select unique values and try again.`
      : "A record with matching key values already exists.",
    { cause: err },
  );
}
