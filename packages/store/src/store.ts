import type { Database } from "./database.js";
import { StoreBusyError } from "./errors.js";
import { describeLocation, type StoreLocation } from "./location.js";
import { migrate, SCHEMA } from "./migrations.js";
import { openPglite } from "./pglite.js";
import { openPostgres } from "./postgres.js";
import { repairReadIndexes } from "./read-indexes.js";
import { pinTimeText } from "./time-text.js";
import { CREATE_STAGING } from "./upsert.js";

/** An open store: its database, migrated, with the schema on the search path. */
export interface Store {
  readonly db: Database;
  readonly location: StoreLocation;
  /** The location for messages (no password). */
  readonly description: string;
  /**
   * Runs `fn` holding the store's sync lock: one sync per store at a time. Throws StoreBusyError
   * at once when another process holds it (PostgreSQL: a connection-level advisory lock, released by the
   * server even when its holder is killed; PGlite: the store's lock file, held while open).
   */
  withSyncLock<T>(fn: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Opens (and creates, and migrates) the store at `location`. */
export async function openStore(location: StoreLocation): Promise<Store> {
  const db =
    location.engine === "postgres"
      ? await openPostgres(location.url)
      : await openPglite(location.path);
  try {
    await pinTimeText(db);
    await migrate(db);
    await db.query(`SET search_path TO ${SCHEMA}`);
    await db.query(CREATE_STAGING);
    await repairReadIndexes(db);
  } catch (error) {
    await db.close();
    throw error;
  }
  const description = describeLocation(location);
  return {
    db,
    location,
    description,
    async withSyncLock(fn) {
      if (!(await db.tryLockSync())) {
        throw new StoreBusyError(
          `another spendkit sync is running on ${description}; try again when it has finished`,
        );
      }
      try {
        return await fn();
      } finally {
        await db.unlockSync();
      }
    },
    close: () => db.close(),
  };
}
