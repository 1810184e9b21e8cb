import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type RunningPostgres, startPostgres } from "@spendkit/mock";
import { afterAll, beforeAll, beforeEach } from "vitest";
import {
  type Database,
  MIGRATIONS,
  openStore,
  type Store,
  type StoreLocation,
} from "../src/index.js";
import { splitStatements } from "../src/migrations.js";

/** Every store test runs on both engines. */
export const ENGINES = ["pglite", "postgres"] as const;
export type Engine = (typeof ENGINES)[number];

/**
 * A real database for one test file: a PGlite data directory in a temp dir, or a PostgreSQL 18
 * server started for the file (and stopped by PID after it). Tables are emptied before each
 * test, so tests do not see each other's rows.
 */
export function useDatabase(engine: Engine) {
  const state: {
    store?: Store;
    location?: StoreLocation;
    postgres?: RunningPostgres;
    dir?: string;
  } = {};
  beforeAll(async () => {
    state.dir = mkdtempSync(join(tmpdir(), "spendkit-store-test-"));
    if (engine === "postgres") {
      state.postgres = await startPostgres();
      state.location = { engine: "postgres", url: state.postgres.url };
    } else {
      state.location = { engine: "pglite", path: join(state.dir, "store") };
    }
    state.store = await openStore(state.location);
  });
  afterAll(async () => {
    await state.store?.close();
    await state.postgres?.stop();
    if (state.dir) rmSync(state.dir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    await state.store!.db.query(
      "TRUNCATE entries, entry_revisions, entry_days, sync_state, audit_events, balance_snapshots",
    );
  });
  return {
    get store(): Store {
      return state.store!;
    },
    get location(): StoreLocation {
      return state.location!;
    },
    /** A scratch directory removed after the file. */
    get dir(): string {
      return state.dir!;
    },
  };
}

/** A ledger entry of a ByteSpike-like account, minute `n` after 2026-01-01. */
export function entry(n: number, fields: Partial<import("../src/index.js").StoreEntry> = {}) {
  return {
    provider: "bytespike",
    id: String(n),
    time: new Date(Date.parse("2026-01-01T00:00:00Z") + n * 60_000).toISOString(),
    kind: "usage",
    amount: "-1.50",
    currency: "USD",
    raw: { id: n },
    ...fields,
  };
}

/** A source over a fixed list, in batches of `size`, honouring the window like a provider. */
export function listSource(rows: () => readonly ReturnType<typeof entry>[], size = 3) {
  const windows: { since?: Date | undefined; until: Date }[] = [];
  const source = async function* (window: { since?: Date | undefined; until: Date }) {
    windows.push(window);
    const selected = rows()
      .filter((e) => !window.since || Date.parse(e.time) >= window.since.getTime())
      .filter((e) => Date.parse(e.time) < window.until.getTime())
      .sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
    for (let i = 0; i < selected.length; i += size) yield selected.slice(i, i + size);
  };
  return Object.assign(source, { windows });
}

/**
 * The store's schema as a release of `version` left it: dropped, then migrated as `migrate`
 * does, up to that version only.
 */
export async function schemaAt(db: Database, version: number) {
  await db.query("DROP SCHEMA spendkit CASCADE");
  await db.transaction(async (tx) => {
    await tx.query("CREATE SCHEMA spendkit");
    await tx.query(
      `CREATE TABLE spendkit.schema_migrations (
         version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    for (const migration of MIGRATIONS.filter((m) => m.version <= version)) {
      for (const statement of splitStatements(migration.sql)) await tx.query(statement);
      await tx.query("INSERT INTO spendkit.schema_migrations (version, name) VALUES ($1, $2)", [
        migration.version,
        migration.name,
      ]);
    }
  });
}
