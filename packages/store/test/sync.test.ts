import { describe, expect, it } from "vitest";
import {
  accountStatus,
  DEFAULT_OVERLAP_MS,
  listAuditEvents,
  MIGRATIONS,
  migrate,
  openStore,
  readEntries,
  syncAccount,
} from "../src/index.js";
import { ENGINES, entry, listSource, schemaAt, useDatabase } from "./engines.js";

const ACCOUNT = { provider: "bytespike", account: "main" };
const at = (n: number) => new Date(Date.parse("2026-01-01T00:00:00Z") + n * 60_000);

async function stored(store: Parameters<typeof readEntries>[0], includeVanished = true) {
  const found = [];
  for await (const batch of readEntries(store, { includeVanished, batchSize: 4 }))
    found.push(...batch);
  return found;
}

describe.each(ENGINES)("sync on %s", (engine) => {
  const db = useDatabase(engine);

  it("records every migration once, also when opened again", async () => {
    const rows = await db.store.db.query<{ version: number }>(
      "SELECT version FROM schema_migrations ORDER BY version",
    );
    expect(rows.map((r) => Number(r.version))).toEqual(MIGRATIONS.map((m) => m.version));
    if (engine === "postgres") {
      const again = await openStore(db.location);
      await again.close();
      const after = await db.store.db.query("SELECT version FROM schema_migrations");
      expect(after).toHaveLength(MIGRATIONS.length);
    }
  });

  it("stores a first sync whole, with exact amounts, and starts the next from the mark minus the overlap", async () => {
    const rows = [
      entry(1, { kind: "topup", amount: "50.00", balanceAfter: "50.00", reference: "ch_1" }),
      entry(2, { amount: "-0.000125", balanceAfter: "49.999875", model: "m" }),
      entry(3, { amount: "-12345678901234.123456", description: 'quote " and, comma' }),
    ];
    const source = listSource(() => rows, 2);
    const first = await syncAccount(db.store, { ...ACCOUNT, source, now: at(100) });
    expect(first).toMatchObject({ read: 3, inserted: 3, revised: 0, vanished: 0 });
    expect(first.window.since).toBeUndefined();
    expect(first.highWaterMark).toBe(at(3).toISOString());

    const found = await stored(db.store);
    expect(found.map((e) => [e.id, e.time, e.amount, e.balanceAfter])).toEqual([
      ["1", at(1).toISOString(), "50.00", "50.00"],
      ["2", at(2).toISOString(), "-0.000125", "49.999875"],
      ["3", at(3).toISOString(), "-12345678901234.123456", undefined],
    ]);
    expect(found[0]).toMatchObject({
      account: "main",
      kind: "topup",
      reference: "ch_1",
      raw: { id: 1 },
    });
    expect(found[2]!.description).toBe('quote " and, comma');

    const second = await syncAccount(db.store, { ...ACCOUNT, source, now: at(200) });
    expect(second.window.since?.getTime()).toBe(at(3).getTime() - DEFAULT_OVERLAP_MS);
    expect(second).toMatchObject({ inserted: 0, revised: 0, vanished: 0 });
    expect(await stored(db.store)).toHaveLength(3);
  });

  it("drops rows at or after the pinned end of the window", async () => {
    const source = listSource(() => [entry(1), entry(2)]);
    // A source that ignores the window (xAI cannot filter): the sync trims.
    const unfiltered = async function* () {
      yield [entry(1), entry(5), entry(6)];
    };
    await syncAccount(db.store, { ...ACCOUNT, source: unfiltered, now: at(5) });
    expect((await stored(db.store)).map((e) => e.id)).toEqual(["1"]);
    await syncAccount(db.store, { ...ACCOUNT, source, now: at(10) });
    expect((await stored(db.store)).map((e) => e.id)).toEqual(["1", "2"]);
  });

  it("gives a changed row a new revision, keeps the old content, and records an audit event", async () => {
    let rows = [entry(1), entry(2, { amount: "-2.00" }), entry(3)];
    const source = listSource(() => rows);
    await syncAccount(db.store, { ...ACCOUNT, source, now: at(10) });
    rows = [entry(1), entry(2, { amount: "-2.50", description: "corrected" }), entry(3)];
    const result = await syncAccount(db.store, { ...ACCOUNT, source, now: at(20) });
    expect(result).toMatchObject({ inserted: 0, revised: 1 });

    const [current] = await db.store.db.query<{ revision: number; amount: string }>(
      "SELECT revision, amount::text AS amount FROM entries WHERE id = '2'",
    );
    expect(current).toEqual({ revision: 2, amount: "-2.50" });
    const history = await db.store.db.query(
      "SELECT revision, amount::text AS amount, description FROM entry_revisions WHERE id = '2'",
    );
    expect(history).toEqual([{ revision: 1, amount: "-2.00", description: null }]);
    const events = await listAuditEvents(db.store);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      kind: "changed",
      entryId: "2",
      detail: { revision: 2, before: { amount: "-2.00" }, after: { amount: "-2.50" } },
    });

    // The same content again is no change; 1.5 and 1.50 are the same amount.
    const again = await syncAccount(db.store, { ...ACCOUNT, source, now: at(30) });
    expect(again.revised).toBe(0);
  });

  it("marks a row that disappeared from a fully read window vanished, never deletes it, and notices its return", async () => {
    let rows = [entry(1), entry(2), entry(3)];
    const source = listSource(() => rows);
    await syncAccount(db.store, { ...ACCOUNT, source, now: at(10) });
    rows = [entry(1), entry(3)];
    const result = await syncAccount(db.store, { ...ACCOUNT, source, now: at(20) });
    expect(result.vanished).toBe(1);
    expect((await stored(db.store)).map((e) => e.id)).toEqual(["1", "2", "3"]);
    expect((await stored(db.store, false)).map((e) => e.id)).toEqual(["1", "3"]);
    expect((await listAuditEvents(db.store)).map((e) => [e.kind, e.entryId])).toEqual([
      ["vanished", "2"],
    ]);
    // Still gone: no second event.
    await syncAccount(db.store, { ...ACCOUNT, source, now: at(25) });
    expect(await listAuditEvents(db.store)).toHaveLength(1);

    rows = [entry(1), entry(2), entry(3)];
    const back = await syncAccount(db.store, { ...ACCOUNT, source, now: at(30) });
    expect(back.reappeared).toBe(1);
    expect((await stored(db.store, false)).map((e) => e.id)).toEqual(["1", "2", "3"]);
    const events = await listAuditEvents(db.store, { includeResolved: true });
    expect(events.map((e) => [e.kind, e.resolvedAt === undefined])).toEqual([
      ["vanished", false],
      ["reappeared", true],
    ]);
  });

  it("does not mark rows vanished when the window was not read completely, and keeps what was committed", async () => {
    await syncAccount(db.store, {
      ...ACCOUNT,
      source: listSource(() => [entry(1), entry(2), entry(3)]),
      now: at(10),
    });
    const failing = async function* () {
      yield [entry(1), entry(4)];
      throw new Error("ApiError: 503 upstream down");
    };
    await expect(
      syncAccount(db.store, { ...ACCOUNT, source: failing, now: at(20) }),
    ).rejects.toThrow("upstream down");
    expect((await stored(db.store, false)).map((e) => e.id)).toEqual(["1", "2", "3", "4"]);
    const [status] = await accountStatus(db.store);
    expect(status).toMatchObject({
      rows: 4,
      highWaterMark: at(4).toISOString(),
      lastError: "Error: ApiError: 503 upstream down",
      openAuditEvents: 0,
    });
    expect(status!.lastSuccess).toBeDefined();
  });

  it("keeps accounts apart: the same id in two accounts is two rows", async () => {
    const source = listSource(() => [entry(1)]);
    await syncAccount(db.store, { ...ACCOUNT, source, now: at(10) });
    await syncAccount(db.store, { provider: "bytespike", account: "team", source, now: at(10) });
    const statuses = await accountStatus(db.store);
    expect(statuses.map((s) => [s.account, s.rows])).toEqual([
      ["main", 1],
      ["team", 1],
    ]);
    const onlyTeam = [];
    for await (const batch of readEntries(db.store, { accounts: ["team"] }))
      onlyTeam.push(...batch);
    expect(onlyTeam.map((e) => e.account)).toEqual(["team"]);
  });

  it("reads entries without their provider records when asked, the rest unchanged", async () => {
    const source = listSource(() => [entry(1, { model: "m" }), entry(2, { balanceAfter: "7.25" })]);
    await syncAccount(db.store, { ...ACCOUNT, source, now: at(10) });
    const read = async (raw: boolean) => {
      const found = [];
      for await (const batch of readEntries(db.store, { raw, batchSize: 1 })) found.push(...batch);
      return found;
    };
    const whole = await read(true);
    expect(whole.map((e) => e.raw)).toEqual([{ id: 1 }, { id: 2 }]);
    const lean = await read(false);
    expect(lean.map((e) => e.raw)).toEqual([null, null]);
    expect(lean).toEqual(whole.map((e) => ({ ...e, raw: null })));
  });

  it("keeps a provider record as it came, and takes the same record in another key order as unchanged", async () => {
    let rows = [entry(1, { raw: { z: 1, a: { y: 2, b: [3, "x"] } } })];
    const source = listSource(() => rows);
    const options = { ...ACCOUNT, source, overlapMs: 60 * 60_000 };
    await syncAccount(db.store, { ...options, now: at(10) });
    const [kept] = await db.store.db.query<{ raw: string }>("SELECT raw::text AS raw FROM entries");
    expect(kept!.raw).toBe('{"z":1,"a":{"y":2,"b":[3,"x"]}}');
    rows = [entry(1, { raw: { a: { b: [3, "x"], y: 2 }, z: 1 } })];
    expect(await syncAccount(db.store, { ...options, now: at(11) })).toMatchObject({
      inserted: 0,
      revised: 0,
    });
    rows = [entry(1, { raw: { a: { b: [3, "y"], y: 2 }, z: 1 } })];
    expect(await syncAccount(db.store, { ...options, now: at(12) })).toMatchObject({
      revised: 1,
    });
    expect((await stored(db.store))[0]!.raw).toEqual({ a: { b: [3, "y"], y: 2 }, z: 1 });
  });

  it("migrates a version 5 store's provider records to json, unchanged", async () => {
    const raw = db.store.db;
    await schemaAt(raw, 5);
    await raw.query(
      `INSERT INTO entries (provider, account, id, time, kind, amount, currency, raw, first_seen, last_seen)
       VALUES ('bytespike', 'main', '1', '2026-01-01T00:00:00Z', 'usage', -1, 'USD',
               '{"id": 1, "note": "kept"}', now(), now())`,
    );
    expect(await migrate(raw)).toEqual(MIGRATIONS.map((m) => m.version).filter((v) => v >= 6));
    const [column] = await raw.query<{ type: string }>(
      `SELECT data_type AS type FROM information_schema.columns
       WHERE table_schema = 'spendkit' AND table_name = 'entries' AND column_name = 'raw'`,
    );
    expect(column!.type).toBe("json");
    expect((await stored(db.store))[0]!.raw).toEqual({ id: 1, note: "kept" });
  });

  it("refuses a second sync while one holds the lock", async () => {
    const other = engine === "postgres" ? await openStore(db.location) : undefined;
    try {
      await db.store.withSyncLock(async () => {
        if (other) {
          await expect(other.withSyncLock(async () => "ran")).rejects.toThrow(
            /another spendkit sync is running/,
          );
        } else {
          // An embedded store is locked for as long as it is open: a second open is refused.
          await expect(openStore(db.location)).rejects.toThrow(
            /in use by another spendkit process/,
          );
        }
      });
      if (other) expect(await other.withSyncLock(async () => "ran")).toBe("ran");
    } finally {
      await other?.close();
    }
  });
});
