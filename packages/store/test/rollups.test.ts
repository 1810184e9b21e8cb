import { describe, expect, it } from "vitest";
import { accountStatus, syncAccount, upsertBatch } from "../src/index.js";
import { ENGINES, entry, listSource, useDatabase } from "./engines.js";

const ACCOUNT = { provider: "bytespike", account: "main" };
const DAY = 1_440;
const at = (n: number) => new Date(Date.parse("2026-01-01T00:00:00Z") + n * 60_000);

describe.each(ENGINES)("counts and daily rollups on %s", (engine) => {
  const db = useDatabase(engine);

  /** What the triggers keep, and the same counted from the rows. */
  async function kept() {
    const q = (sql: string) => db.store.db.query(sql);
    return {
      days: await q(
        `SELECT provider, account, day::text AS day, kind, trim_scale(amount)::text AS amount, entries::int
         FROM entry_days WHERE entries <> 0 OR amount <> 0 ORDER BY 1, 2, 3, 4`,
      ),
      counts: await q(
        `SELECT provider, account, entry_count::int AS rows, vanished_count::int AS vanished
         FROM sync_state ORDER BY 1, 2`,
      ),
    };
  }
  async function counted() {
    const q = (sql: string) => db.store.db.query(sql);
    return {
      days: await q(
        `SELECT provider, account, ((time AT TIME ZONE 'UTC')::date)::text AS day, kind,
                trim_scale(sum(amount))::text AS amount, count(*)::int AS entries
         FROM entries WHERE vanished_at IS NULL GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`,
      ),
      counts: await q(
        `SELECT s.provider, s.account, count(e.id)::int AS rows, count(e.vanished_at)::int AS vanished
         FROM sync_state s LEFT JOIN entries e USING (provider, account)
         GROUP BY 1, 2 ORDER BY 1, 2`,
      ),
    };
  }

  it("follow inserts, revisions across days, and vanished and reappeared rows", async () => {
    let rows = [
      entry(1, { kind: "topup", amount: "100.00" }),
      entry(2, { amount: "-1.25" }),
      entry(DAY + 3, { amount: "-0.000001" }),
      entry(2 * DAY + 4, { amount: "-2.00" }),
    ];
    const source = listSource(() => rows, 2);
    await syncAccount(db.store, {
      ...ACCOUNT,
      source,
      now: at(3 * DAY),
      overlapMs: 4 * DAY * 60_000,
    });
    expect(await kept()).toEqual(await counted());

    // Row 2 moves to the next day with a new amount; row DAY+3 vanishes; a row is added.
    rows = [
      entry(1, { kind: "topup", amount: "100.00" }),
      entry(2, { amount: "-3.75", time: at(DAY + 2).toISOString() }),
      entry(2 * DAY + 4, { amount: "-2.00" }),
      entry(2 * DAY + 5, { kind: "refund", amount: "0.50" }),
    ];
    const second = await syncAccount(db.store, {
      ...ACCOUNT,
      source,
      now: at(3 * DAY + 1),
      overlapMs: 4 * DAY * 60_000,
    });
    expect(second).toMatchObject({ inserted: 1, revised: 1, vanished: 1 });
    expect(await kept()).toEqual(await counted());
    expect((await accountStatus(db.store))[0]).toMatchObject({ rows: 5, vanished: 1 });

    // The vanished row is back; another account's rows are counted apart.
    rows.push(entry(DAY + 3, { amount: "-0.000001" }));
    await syncAccount(db.store, {
      ...ACCOUNT,
      source,
      now: at(3 * DAY + 2),
      overlapMs: 4 * DAY * 60_000,
    });
    await syncAccount(db.store, {
      provider: "bytespike",
      account: "other",
      source,
      now: at(3 * DAY + 2),
    });
    expect(await kept()).toEqual(await counted());
    expect((await accountStatus(db.store)).map((s) => [s.account, s.rows, s.vanished])).toEqual([
      ["main", 5, 0],
      ["other", 5, 0],
    ]);
  });

  it("take a batch wrongly guessed all new through the full upsert, counting each row once", async () => {
    const upsert = (rows: ReturnType<typeof entry>[], fresh: boolean) =>
      db.store.db.transaction((tx) => upsertBatch(tx, ACCOUNT, rows, at(10), { fresh }));
    expect(await upsert([entry(1), entry(2)], true)).toEqual({
      inserted: 2,
      revised: 0,
      reappeared: 0,
    });
    // Row 2 is stored already and changed; rows 3 and 4 are new.
    expect(await upsert([entry(2, { amount: "-9.00" }), entry(3), entry(4)], true)).toEqual({
      inserted: 2,
      revised: 1,
      reappeared: 0,
    });
    expect(await kept()).toEqual(await counted());
    expect((await accountStatus(db.store))[0]).toMatchObject({ rows: 4, vanished: 0 });
  });

  it("undo a bulk load that meets a stored id under a later time, and upsert the batch instead", async () => {
    const upsert = (rows: ReturnType<typeof entry>[], fresh: boolean) =>
      db.store.db.transaction((tx) => upsertBatch(tx, ACCOUNT, rows, at(10), { fresh }));
    await upsert([entry(1), entry(2)], true);
    // Nothing is stored from minute 5 on, so the batch is loaded as new, and row 2's id is
    // refused by the primary key: the load, its rollups and its counts are undone.
    const moved = await upsert(
      [entry(2, { time: at(5).toISOString(), amount: "-2.00" }), entry(6)],
      true,
    );
    expect(moved).toEqual({ inserted: 1, revised: 1, reappeared: 0 });
    expect(await kept()).toEqual(await counted());
    expect((await accountStatus(db.store))[0]).toMatchObject({ rows: 3, vanished: 0 });
    const [row2] = await db.store.db.query<{ time: string; revision: number }>(
      "SELECT iso_utc(time) AS time, revision FROM entries WHERE id = '2'",
    );
    expect(row2).toEqual({ time: at(5).toISOString(), revision: 2 });
  });

  it("store an id a batch holds twice as its last row, once, on either path", async () => {
    const upsert = (rows: ReturnType<typeof entry>[], fresh: boolean) =>
      db.store.db.transaction((tx) => upsertBatch(tx, ACCOUNT, rows, at(10), { fresh }));
    // Fresh: the bulk load meets the id twice, is undone, and the batch takes the upsert.
    expect(await upsert([entry(1), entry(2), entry(1, { amount: "-7.00" })], true)).toEqual({
      inserted: 2,
      revised: 0,
      reappeared: 0,
    });
    // Not fresh: the upsert itself would otherwise touch row 3 twice in one statement.
    expect(
      await upsert([entry(3), entry(2, { amount: "-4.00" }), entry(3, { amount: "-8.00" })], false),
    ).toEqual({ inserted: 1, revised: 1, reappeared: 0 });
    const rows = await db.store.db.query<{ id: string; amount: string; revision: number }>(
      "SELECT id, trim_scale(amount)::text AS amount, revision FROM entries ORDER BY id",
    );
    expect(rows).toEqual([
      { id: "1", amount: "-7", revision: 1 },
      { id: "2", amount: "-4", revision: 2 },
      { id: "3", amount: "-8", revision: 1 },
    ]);
    expect(await kept()).toEqual(await counted());
    expect((await accountStatus(db.store))[0]).toMatchObject({ rows: 3, vanished: 0 });
  });
});
