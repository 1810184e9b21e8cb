/** What both engines offer the store: parameterised queries, one bulk load, transactions. */
export interface Queryable {
  /** Runs one statement with `$1 … $n` parameters; resolves with its rows. */
  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<Row[]>;
  /**
   * Appends rows to `table` (the store's own name, never user input) by each engine's fastest
   * bulk path, `COPY … FROM`: a blob (`/dev/blob`) on PGlite, `STDIN` streamed on PostgreSQL.
   * Values are text (or null), converted by the column types.
   */
  load(table: string, columns: readonly string[], rows: readonly BulkRow[]): Promise<void>;
  /**
   * The rows of `select` by each engine's fastest bulk path, `COPY (select) TO …`: a blob on
   * PGlite, `STDOUT` streamed on PostgreSQL, in COPY's text format (`parseCopyText`). COPY takes
   * no parameters: `select` is composed with its values by `composeStatement`.
   */
  unload(select: string): Promise<string>;
}

/** One row for `load`: a text value or null per column. */
export type BulkRow = readonly (string | null)[];

/** A value `composeStatement` writes into a statement. */
export type StatementValue = string | number | null | readonly string[];

/**
 * A statement with its values in it, for what takes no parameters (COPY): `template` names the
 * values as `%1$L`, `%2$L`, … (a literal `%` is `%%`), and the database itself writes each as a
 * quoted literal (`format`'s `%L`, PostgreSQL's own quoting) — no value is spliced into SQL by
 * this code. Values are text, null, or arrays of text (written as a `text[]` literal: cast it).
 */
export async function composeStatement(
  db: Queryable,
  template: string,
  values: readonly StatementValue[],
): Promise<string> {
  const args = values.map((v, i) => `, $${i + 2}::${Array.isArray(v) ? "text[]" : "text"}`);
  const [row] = await db.query<{ statement: string }>(
    `SELECT format($1${args.join("")}) AS statement`,
    [template, ...values.map((v) => (typeof v === "number" ? String(v) : v))],
  );
  return row!.statement;
}

export interface Database extends Queryable {
  readonly engine: "pglite" | "postgres";
  /**
   * Rows a sync gathers into one transaction on this engine: larger batches spend less on
   * per-statement and per-commit cost, but hold more in memory (PGlite keeps a statement's work
   * in its own heap, which never shrinks) and redo more after a crash.
   */
  readonly commitRows: number;
  /**
   * Rows past which this engine is the wrong home for the store: `spendkit status` then says so
   * and how to move it. Unset where the engine scales on (PostgreSQL).
   */
  readonly advisedMaxRows?: number;
  /**
   * Whether a first load into an empty store builds the indexes only reads use after its rows,
   * not row by row (`read-indexes.ts`): where a build's memory is a server's, not this process's.
   */
  readonly buildsReadIndexesAfterLoad: boolean;
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * Takes the store's sync lock for this connection, or resolves `false` when another process
   * holds it. Released by `unlockSync` or when the connection ends (also when it is killed).
   */
  tryLockSync(): Promise<boolean>;
  unlockSync(): Promise<void>;
  close(): Promise<void>;
}

/** Serialises callers: a transaction on one connection must not interleave with another. */
export class Mutex {
  #tail: Promise<unknown> = Promise.resolve();

  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(fn);
    this.#tail = result.catch(() => {});
    return result;
  }
}
