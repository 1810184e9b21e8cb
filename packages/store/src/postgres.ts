import type { ClientBase } from "pg";
import { copyBytes } from "./copy-format.js";
import { type BulkRow, type Database, Mutex, type Queryable } from "./database.js";

/** An arbitrary constant: the advisory lock key of `spendkit sync`. */
const SYNC_LOCK = 7_305_117_002;

/**
 * Rows per chunk of a COPY stream: the text of a whole batch is never held at once, and each
 * chunk is large enough that the stream's per-write cost does not count.
 */
const COPY_CHUNK_ROWS = 500;

/**
 * PostgreSQL through `pg` 8, on one connection (a sync is sequential; the advisory lock belongs
 * to the connection that took it, so it must be one connection). The URL is a `postgres://` connection string.
 */
export async function openPostgres(url: string): Promise<Database> {
  // Loaded only here: users of the ledger alone never load the driver.
  const [{ default: pg }, { from: copyFrom, to: copyTo }] = await Promise.all([
    import("pg"),
    import("pg-copy-streams"),
  ]);
  const client = new pg.Client({ connectionString: url, application_name: "spendkit" });
  // A dropped connection is reported by the query that needs it; without a listener, the
  // 'error' event would end the process.
  client.on("error", () => {});
  await client.connect();
  const mutex = new Mutex();
  const query = async <Row>(sql: string, params: readonly unknown[] = []) =>
    (await client.query(sql, [...params])).rows as Row[];
  // COPY FROM STDIN: the server parses the rows as they stream in, with no parameter per value
  // and no statement per row; the fastest way into PostgreSQL there is.
  const load = async (table: string, columns: readonly string[], rows: readonly BulkRow[]) => {
    if (rows.length === 0) return;
    const stream = (client as ClientBase).query(
      copyFrom(`COPY ${table} (${columns.join(", ")}) FROM STDIN`),
    );
    await new Promise<void>((resolve, reject) => {
      stream.on("error", reject);
      stream.on("finish", resolve);
      const writeFrom = (start: number): void => {
        for (let at = start; at < rows.length; at += COPY_CHUNK_ROWS) {
          const more = stream.write(copyBytes(rows.slice(at, at + COPY_CHUNK_ROWS)));
          // Backpressure: wait for the socket to drain rather than buffer the whole batch.
          if (!more) {
            stream.once("drain", () => writeFrom(at + COPY_CHUNK_ROWS));
            return;
          }
        }
        stream.end();
      };
      writeFrom(0);
    });
  };
  // COPY TO STDOUT: the server writes the rows in its text format as they are found.
  const unload = async (select: string) => {
    const chunks: Buffer[] = [];
    for await (const chunk of (client as ClientBase).query(copyTo(`COPY (${select}) TO STDOUT`))) {
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks).toString("utf8");
  };
  const scoped: Queryable = { query, load, unload };
  return {
    engine: "postgres",
    // A server's memory is its own and freed after each statement: large batches cost nothing
    // here but a longer redo after a crash, and spare per-commit work.
    commitRows: 20_000,
    buildsReadIndexesAfterLoad: true,
    query: (sql, params) => mutex.run(() => query(sql, params)),
    load: (table, columns, rows) => mutex.run(() => load(table, columns, rows)),
    unload: (select) => mutex.run(() => unload(select)),
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
