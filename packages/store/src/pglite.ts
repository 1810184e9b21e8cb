import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { PGlite, Transaction } from "@electric-sql/pglite";
import { copyBytes } from "./copy-format.js";
import { type Database, Mutex, type Queryable } from "./database.js";
import { LockFile } from "./lockfile.js";
import { makeDataDir } from "./pglite-datadir.js";

/**
 * The embedded engine: PGlite (PostgreSQL in WebAssembly) on a data directory. `location` is a
 * directory of spendkit's: the database files are in `<location>/pgdata`, and
 * `<location>/spendkit.lock` names the process that has it open. PGlite cannot share its files
 * with a second process, so the lock is held for as long as the store is open; a second process
 * gets a clear StoreBusyError, and a lock left by a killed process is detected and broken.
 */
export async function openPglite(location: string): Promise<Database> {
  await mkdir(location, { recursive: true });
  const lock = await LockFile.acquire(join(location, "spendkit.lock"), `the store ${location}`);
  try {
    // Loaded only here: users of the ledger alone never load the engine.
    const { PGlite } = await import("@electric-sql/pglite");
    const startParams = [...PGlite.defaultStartParams, "-c", `shared_buffers=${SHARED_BUFFERS}`];
    const dataDir = join(location, "pgdata");
    if (!existsSync(dataDir)) await makeDataDir(PGlite, location, startParams);
    const pglite = await PGlite.create({ dataDir, startParams });
    return pgliteDatabase(pglite, lock);
  } catch (error) {
    await lock.release();
    throw error;
  }
}

/**
 * PGlite's bulk paths, both ways: rows as one COPY text handed over as a blob (`/dev/blob`) and
 * parsed by the database in one statement — no parameter per value, no JSON — and a query's rows
 * written the same way, instead of PGlite's decoding of each field in JavaScript.
 */
function bulk(target: PGlite | Transaction): Pick<Queryable, "load" | "unload"> {
  return {
    async load(table, columns, rows) {
      if (rows.length === 0) return;
      await target.query(`COPY ${table} (${columns.join(", ")}) FROM '/dev/blob'`, [], {
        blob: new Blob([copyBytes(rows)]),
      });
    },
    async unload(select) {
      const { blob } = await target.query(`COPY (${select}) TO '/dev/blob'`);
      // No rows, no blob.
      return blob ? await blob.text() : "";
    },
  };
}

/**
 * PGlite's buffer cache: 32 MB rather than its default 128 MB. Every command of the CLI opens the
 * store anew, and PGlite zeroes its whole cache in WebAssembly as it starts: at 128 MB that is
 * about 0.4 s and 90 MB of resident memory per command, for a cache that one command's work
 * (a sync's batches, an export's single pass, a report's aggregates) does not reuse
 * (bench/RESULTS.md, part 6: export 11% faster, a first sync's peak 18% lower, no slower).
 */
const SHARED_BUFFERS = "32MB";

/**
 * Rows per sync transaction on PGlite: its WebAssembly heap grows to the largest statement's
 * work and never shrinks, so a batch is kept to what holds a first sync's peak memory well
 * under 512 MiB (20,000 rows per batch peaked at 556 MiB), at little cost in speed.
 */
const PGLITE_COMMIT_ROWS = 5_000;

/**
 * Past a million rows (a few months of one busy account) an embedded store's costs are
 * PGlite's, not the store's: no autovacuum, one connection, a heap that never shrinks, and
 * about a second to open its files for every command (bench/RESULTS.md, part 6). PostgreSQL
 * keeps the same commands at a fraction of the time from there on.
 */
const PGLITE_ADVISED_MAX_ROWS = 1_000_000;

function pgliteDatabase(pglite: PGlite, lock: LockFile): Database {
  const mutex = new Mutex();
  const query = async <Row>(sql: string, params: readonly unknown[] = []) =>
    (await pglite.query<Row>(sql, [...params])).rows;
  const { load, unload } = bulk(pglite);
  return {
    engine: "pglite",
    commitRows: PGLITE_COMMIT_ROWS,
    advisedMaxRows: PGLITE_ADVISED_MAX_ROWS,
    // Building them after a first sync of 300k rows saved 1.3 s of 12 and raised the sync's
    // peak memory by 60 MiB (335 to 395 MiB), which a heap that never shrinks keeps.
    buildsReadIndexesAfterLoad: false,
    query: (sql, params) => mutex.run(() => query(sql, params)),
    load: (table, columns, rows) => mutex.run(() => load(table, columns, rows)),
    unload: (select) => mutex.run(() => unload(select)),
    transaction: (fn) =>
      mutex.run(() =>
        pglite.transaction((tx) => {
          const scoped: Queryable = {
            query: async <Row>(sql: string, params: readonly unknown[] = []) =>
              (await tx.query<Row>(sql, [...params])).rows,
            ...bulk(tx),
          };
          return fn(scoped);
        }),
      ),
    // The lock file already makes this process the store's only user.
    tryLockSync: async () => true,
    unlockSync: async () => {},
    async close() {
      await mutex.run(async () => {
        await pglite.close();
        await lock.release();
      });
    },
  };
}
