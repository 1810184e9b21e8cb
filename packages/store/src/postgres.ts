import { type BulkRow, type Database, Mutex, type Queryable } from "./database.js";

/** An arbitrary constant: the advisory lock key of `spendkit sync`. */
const SYNC_LOCK = 7_305_117_002;

/**
 * PostgreSQL through `pg` 8, on one connection (a sync is sequential; the advisory lock belongs
 * to the connection that took it, so it must be one connection). The URL is a `postgres://` connection string.
 */
export async function openPostgres(url: string): Promise<Database> {
  // Loaded only here: users of the ledger alone never load the driver.
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: url, application_name: "spendkit" });
  // A dropped connection is reported by the query that needs it; without a listener, the
  // 'error' event would end the process.
  client.on("error", () => {});
  await client.connect();
  const mutex = new Mutex();
  const query = async <Row>(sql: string, params: readonly unknown[] = []) =>
    (await client.query(sql, [...params])).rows as Row[];
  // One INSERT from one text array per column: the values travel as a few parameters and
  // are converted by the column types, with no per-row statement and no JSON to parse.
  const load = async (table: string, columns: readonly string[], rows: readonly BulkRow[]) => {
    if (rows.length === 0) return;
    await query(
      `INSERT INTO ${table} (${columns.join(", ")})
       SELECT * FROM unnest(${columns.map((_, i) => `$${i + 1}::text[]`).join(", ")})`,
      columns.map((_, i) => rows.map((row) => row[i] ?? null)),
    );
  };
  const scoped: Queryable = { query, load };
  return {
    engine: "postgres",
    query: (sql, params) => mutex.run(() => query(sql, params)),
    load: (table, columns, rows) => mutex.run(() => load(table, columns, rows)),
    transaction: (fn) =>
      mutex.run(async () => {
        await query("BEGIN");
        try {
          const result = await fn(scoped);
          await query("COMMIT");
          return result;
        } catch (error) {
          await query("ROLLBACK").catch(() => {});
          throw error;
        }
      }),
    tryLockSync: () =>
      mutex.run(async () => {
        const [row] = await query<{ locked: boolean }>(
          "SELECT pg_try_advisory_lock($1) AS locked",
          [SYNC_LOCK],
        );
        return row?.locked === true;
      }),
    unlockSync: () =>
      mutex.run(async () => {
        await query("SELECT pg_advisory_unlock($1)", [SYNC_LOCK]);
      }),
    close: () => mutex.run(() => client.end()),
  };
}
