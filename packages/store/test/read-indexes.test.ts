import { describe, expect, it } from "vitest";
import type { Queryable } from "../src/database.js";
import { syncAccount } from "../src/index.js";
import { deferReadIndexes, repairReadIndexes } from "../src/read-indexes.js";
import { ENGINES, entry, listSource, useDatabase } from "./engines.js";

/** The definitions of the indexes on entries, by name. */
async function entryIndexes(db: Queryable): Promise<Record<string, string>> {
  const rows = await db.query<{ name: string; definition: string }>(
    `SELECT indexname AS name, indexdef AS definition FROM pg_indexes
     WHERE schemaname = 'spendkit' AND tablename = 'entries' ORDER BY indexname`,
  );
  return Object.fromEntries(rows.map((row) => [row.name, row.definition]));
}

describe.each(ENGINES)("the indexes only reads use, on %s", (engine) => {
  const db = useDatabase(engine);
  const ACCOUNT = { provider: "bytespike", account: "main" };
  const now = new Date("2026-02-01T00:00:00Z");
  const rows = Array.from({ length: 40 }, (_, n) => entry(n, { balanceAfter: `${100 - n}.00` }));

  /** Syncs `account` from `rows`, noting the indexes present after each committed batch. */
  async function syncNoting(account: { provider: string; account: string }) {
    const seen: Promise<string[]>[] = [];
    await syncAccount(db.store, {
      ...account,
      source: listSource(() => rows, 10),
      now,
      onBatch: () => {
        seen.push(entryIndexes(db.store.db).then(Object.keys));
      },
    });
    return Promise.all(seen);
  }

  it("are there, as the migrations made them, after a first sync into an empty store", async () => {
    const migrated = await entryIndexes(db.store.db);
    expect(Object.keys(migrated)).toEqual(
      expect.arrayContaining(["entries_balance_order", "entries_ledger_order"]),
    );
    const during = await syncNoting(ACCOUNT);
    expect(during.length).toBeGreaterThan(0);
    // Built after the rows where the engine does so, kept up to date row by row elsewhere.
    const after = db.store.db.buildsReadIndexesAfterLoad;
    expect(after).toBe(engine === "postgres");
    for (const names of during) expect(names.includes("entries_ledger_order")).toBe(!after);
    expect(await entryIndexes(db.store.db)).toEqual(migrated);
    // And the queries that use them answer as before.
    const [row] = await db.store.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM entries
       WHERE balance_after IS NOT NULL AND vanished_at IS NULL`,
    );
    expect(row!.n).toBe(rows.length);
  });

  it("are kept up to date, row by row, by a sync into a store that holds rows", async () => {
    await syncAccount(db.store, { ...ACCOUNT, source: listSource(() => rows.slice(0, 1)), now });
    const during = await syncNoting({ ...ACCOUNT, account: "second" });
    for (const names of during) expect(names).toContain("entries_ledger_order");
  });

  it("are built again when the store is opened after a first sync that never ended", async () => {
    const migrated = await entryIndexes(db.store.db);
    // What a first sync killed after its first batch leaves: the drop committed, no build.
    expect(await db.store.db.transaction((tx) => deferReadIndexes(tx))).toBe(true);
    expect(Object.keys(await entryIndexes(db.store.db))).not.toContain("entries_balance_order");
    await repairReadIndexes(db.store.db);
    expect(await entryIndexes(db.store.db)).toEqual(migrated);
  });

  it("are never dropped from a table that holds rows", async () => {
    await syncAccount(db.store, { ...ACCOUNT, source: listSource(() => rows.slice(0, 1)), now });
    expect(await db.store.db.transaction((tx) => deferReadIndexes(tx))).toBe(false);
    expect(Object.keys(await entryIndexes(db.store.db))).toContain("entries_ledger_order");
  });
});
