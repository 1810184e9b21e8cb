// copyStore between real databases: an embedded store (PGlite) copied into a PostgreSQL server
// started for the file, and back into another embedded store.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type RunningPostgres, startPostgres } from "@spendkit/mock";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  type CopyProgress,
  CopyRefusedError,
  conditionHolds,
  copyStore,
  MIGRATIONS,
  openStore,
  recordAuditEvent,
  recordBalanceSnapshots,
  recordDelivery,
  recordFiring,
  recordSyncFailure,
  type Store,
  syncAccount,
} from "../src/index.js";
import { entry, listSource } from "./engines.js";

const MAIN = { provider: "bytespike", account: "main" };
/** The same ids as MAIN's: pages of a composite key cut between two accounts' equal ids. */
const LAB = { provider: "bytespike", account: "lab" };
const at = (n: number) => new Date(Date.parse("2026-01-01T00:00:00Z") + n * 60_000);

/** Every table the migrations create, each of which the seed below gives rows. */
const TABLES = [
  "alert_conditions",
  "alert_deliveries",
  "alert_firings",
  "audit_events",
  "balance_snapshots",
  "entries",
  "entry_days",
  "entry_revisions",
  "sync_state",
];

/** A store with a row in every table: syncs with a change and a vanished row, events, alerts. */
async function seed(store: Store) {
  const rows = Array.from({ length: 30 }, (_, i) => entry(i + 1));
  // Text that COPY must escape, a key order json keeps, digits a float would lose.
  rows[1] = entry(2, {
    description: "tab\there, newline\nthere, a backslash \\ and \\N, é 日本",
    amount: "-12345678901234.123456789",
    raw: { b: 1, a: "é", nested: { list: [1, "two", null] } },
  });
  await syncAccount(store, { ...MAIN, source: listSource(() => rows), now: at(60) });
  // Entry 3 changes (a revision, a `changed` event); entry 5 is no longer listed (`vanished`).
  rows[2] = entry(3, { amount: "-2.25" });
  const relisted = rows.filter((row) => row.id !== "5");
  await syncAccount(store, { ...MAIN, source: listSource(() => relisted), now: at(61) });
  const lab = Array.from({ length: 10 }, (_, i) => entry(i + 1, { amount: "-0.000125" }));
  await syncAccount(store, { ...LAB, source: listSource(() => lab), now: at(60) });

  await recordBalanceSnapshots(store.db, MAIN, [
    { currency: "USD", balance: "12.345678" },
    { currency: "CNY", balance: "88.10" },
  ]);
  await recordAuditEvent(store.db, {
    ...MAIN,
    kind: "adjustment",
    entryId: "7",
    subject: "7",
    detail: { note: "staff credit" },
  });
  await recordSyncFailure(store.db, { provider: "xai", account: "team" }, new Error("no route"));
  await recordFiring(
    store,
    {
      id: "alert-1",
      rule: "floor",
      kind: "balance",
      subject: "bytespike/main",
      periodStart: "2026-01-01T00:30:00Z",
      threshold: "10.000001",
      alert: { text: "below the floor" },
    },
    ["https://hooks.test/a", "https://hooks.test/b"],
  );
  await recordDelivery(store.db, "alert-1", "https://hooks.test/a", {
    delivered: true,
    attempts: 2,
  });
  await conditionHolds(store.db, "floor", "bytespike/main");
}

/** Every store table's rows as text, ordered: what "equal stores" means here. */
async function dump(store: Store): Promise<Record<string, string[]>> {
  return store.db.transaction(async (tx) => {
    await tx.query("SET LOCAL TimeZone = 'UTC'");
    const tables = await tx.query<{ name: string }>(
      `SELECT table_name::text AS name FROM information_schema.tables
       WHERE table_schema = 'spendkit' AND table_type = 'BASE TABLE'
         AND table_name <> 'schema_migrations' ORDER BY 1`,
    );
    const rows: Record<string, string[]> = {};
    for (const { name } of tables) {
      const found = await tx.query<{ row: string }>(
        `SELECT t::text AS row FROM spendkit.${name} t ORDER BY 1`,
      );
      rows[name] = found.map((r) => r.row);
    }
    return rows;
  });
}

async function sequence(store: Store) {
  const [state] = await store.db.query(
    "SELECT last_value::text AS last, is_called AS called FROM spendkit.audit_events_id_seq",
  );
  return state;
}

describe("copyStore", () => {
  let dir: string;
  let postgres: RunningPostgres;
  let source: Store;
  let target: Store;
  let original: Record<string, string[]>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "spendkit-copy-test-"));
    postgres = await startPostgres();
    source = await openStore({ engine: "pglite", path: join(dir, "source") });
    await seed(source);
    original = await dump(source);
    target = await openStore({ engine: "postgres", url: postgres.url });
  });
  afterAll(async () => {
    await target?.close();
    await source?.close();
    await postgres?.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    await target.db.query(
      `TRUNCATE ${TABLES.map((t) => `spendkit.${t}`).join(", ")} RESTART IDENTITY`,
    );
  });

  it("copies every table of an embedded store into PostgreSQL, exactly, in pages", async () => {
    expect(Object.keys(original)).toEqual(TABLES);
    for (const table of TABLES) expect(original[table], table).not.toEqual([]);

    const progress: CopyProgress[] = [];
    const copied = await copyStore(source, target, {
      pageRows: 4,
      onProgress: (p) => progress.push(p),
    });

    expect(await dump(target)).toEqual(original);
    expect(copied).toEqual(
      // Dependency order: a table after those it references, otherwise by name.
      [
        "alert_conditions",
        "alert_firings",
        "alert_deliveries",
        "audit_events",
        "balance_snapshots",
        "entries",
        "entry_days",
        "entry_revisions",
        "sync_state",
      ].map((table) => ({ table, rows: original[table]!.length })),
    );
    // 40 entries (30 of one account, 10 of another with the same ids) in ten pages of four.
    expect(progress.filter((p) => p.table === "entries").map((p) => p.rows)).toEqual([
      4, 8, 12, 16, 20, 24, 28, 32, 36, 40,
    ]);
    expect(progress.every((p) => p.total === original[p.table]!.length)).toBe(true);

    // The identity goes on where the source's left off: the next event does not collide.
    expect(await sequence(target)).toEqual(await sequence(source));
    const next = { ...MAIN, kind: "adjustment" as const, subject: "8", detail: {} };
    expect(await recordAuditEvent(target.db, next)).toBe(true);
    const ids = await target.db.query<{ id: string }>(
      "SELECT id::text FROM audit_events ORDER BY id",
    );
    expect(ids).toHaveLength(original.audit_events!.length + 1);
    expect(Number(ids.at(-1)!.id)).toBe(Number((await sequence(source))!.last) + 1);
  });

  it("copies back from PostgreSQL into another embedded store", async () => {
    await copyStore(source, target);
    const back = await openStore({ engine: "pglite", path: join(dir, "back") });
    try {
      await copyStore(target, back, { pageRows: 3 });
      expect(await dump(back)).toEqual(original);
    } finally {
      await back.close();
    }
  });

  it("refuses a target that holds rows, and writes nothing", async () => {
    await conditionHolds(target.db, "spike", "bytespike/lab");
    const before = await dump(target);
    const refused = copyStore(source, target);
    await expect(refused).rejects.toThrow(CopyRefusedError);
    await expect(refused).rejects.toMatchObject({
      reason: "not-empty",
      message: expect.stringContaining("rows in alert_conditions"),
    });
    expect(await dump(target)).toEqual(before);
    expect(await dump(source)).toEqual(original);
  });

  it("refuses to copy a store into itself, also by another URL and role", async () => {
    await expect(copyStore(source, source)).rejects.toMatchObject({ reason: "same-store" });
    // A role that may read the store and open it (its migration check), nothing more.
    for (const statement of [
      "CREATE ROLE reader LOGIN PASSWORD 'reader-test-only'",
      "GRANT CREATE ON DATABASE spendkit_test TO reader",
      "GRANT USAGE, CREATE ON SCHEMA spendkit TO reader",
      "GRANT SELECT ON ALL TABLES IN SCHEMA spendkit TO reader",
      "GRANT SELECT ON ALL SEQUENCES IN SCHEMA spendkit TO reader",
    ]) {
      await target.db.query(statement);
    }
    const url = new URL(postgres.url);
    url.username = "reader";
    url.password = "reader-test-only";
    const again = await openStore({ engine: "postgres", url: url.toString() });
    try {
      await expect(copyStore(again, target)).rejects.toMatchObject({ reason: "same-store" });
    } finally {
      await again.close();
    }
    expect(await dump(target)).toEqual(Object.fromEntries(TABLES.map((t) => [t, []])));
  });

  it("refuses stores at different schema versions", async () => {
    await target.db.query(
      "INSERT INTO schema_migrations (version, name) VALUES (999, 'from a newer spendkit')",
    );
    try {
      await expect(copyStore(source, target)).rejects.toMatchObject({
        reason: "schema",
        message: expect.stringContaining(
          `at schema version ${MIGRATIONS.at(-1)!.version} and postgres://`,
        ),
      });
    } finally {
      await target.db.query("DELETE FROM schema_migrations WHERE version = 999");
    }
    expect(await dump(target)).toEqual(Object.fromEntries(TABLES.map((t) => [t, []])));
  });

  it("leaves the target empty when the copy fails half-way, and copies whole on a retry", async () => {
    // The target refuses the revision of entry 3: entries are loaded by then, revisions not.
    await target.db.query(
      "ALTER TABLE entry_revisions ADD CONSTRAINT refuse_one CHECK (id <> '3')",
    );
    const progress: CopyProgress[] = [];
    try {
      await expect(
        copyStore(source, target, { pageRows: 5, onProgress: (p) => progress.push(p) }),
      ).rejects.toThrow(/refuse_one/);
    } finally {
      await target.db.query("ALTER TABLE entry_revisions DROP CONSTRAINT refuse_one");
    }
    expect(progress.filter((p) => p.table === "entries").at(-1)?.rows).toBe(40);
    expect(await dump(target)).toEqual(Object.fromEntries(TABLES.map((t) => [t, []])));

    await copyStore(source, target);
    expect(await dump(target)).toEqual(original);
  });
});
