// Money in several currencies: an account's entries are all in its ledger currency (recorded
// with its first batch, filled by migration 4 for a store of before), a batch in another or a
// mixed one is refused whole, and the report keeps each currency apart.
import { describe, expect, it } from "vitest";
import {
  accountStatus,
  CurrencyError,
  type Database,
  MIGRATIONS,
  migrate,
  reconcileAccount,
  reportFigures,
  syncAccount,
  upsertBatch,
} from "../src/index.js";
import { ENGINES, entry, listSource, schemaAt, useDatabase } from "./engines.js";

const ACCOUNT = { provider: "bytespike", account: "main" };
const at = (n: number) => new Date(Date.parse("2026-01-01T00:00:00Z") + n * 60_000);

/** An entry as a release of version 3 wrote it. */
async function v3Entry(db: Database, account: string, id: string, currency: string) {
  await db.query(
    `INSERT INTO entries (provider, account, id, time, kind, amount, balance_after, currency, raw,
                          first_seen, last_seen)
     VALUES ('bytespike', $1, $2, '2026-01-01T00:00:00Z', 'usage', -1, 9, $3, '{}', now(), now())`,
    [account, id, currency],
  );
}

describe.each(ENGINES)("currencies on %s", (engine) => {
  const db = useDatabase(engine);

  /** What a refused batch must leave as it was. */
  async function written() {
    const q = (sql: string) => db.store.db.query(sql);
    return {
      entries: await q("SELECT id, currency, amount::text AS amount FROM entries ORDER BY id"),
      days: await q(
        "SELECT day::text AS day, kind, amount::text AS amount, entries::int FROM entry_days ORDER BY 1, 2",
      ),
      state: await q(
        "SELECT account, currency, entry_count::int AS rows, iso_utc(high_water_mark) AS mark FROM sync_state ORDER BY 1",
      ),
    };
  }

  it("migrates a version 3 store: each account's currency from its entries, snapshots in dollars", async () => {
    const raw = db.store.db;
    await schemaAt(raw, 3);
    await v3Entry(raw, "main", "1", "USD");
    await v3Entry(raw, "main", "2", "USD");
    // Written by an aggregate that already knew currencies, before the store did.
    await v3Entry(raw, "yuan", "1", "CNY");
    await raw.query(
      `INSERT INTO sync_state (provider, account, entry_count) VALUES
         ('bytespike', 'main', 2), ('bytespike', 'empty', 0)`,
    );
    await raw.query(
      `INSERT INTO balance_snapshots (provider, account, taken_at, balance) VALUES
         ('bytespike', 'main', '2026-01-02T00:00:00Z', 9), ('bytespike', 'empty', '2026-01-02T00:00:00Z', 3)`,
    );

    expect(await migrate(raw)).toEqual(MIGRATIONS.map((m) => m.version).filter((v) => v >= 4));
    const state = await raw.query(
      "SELECT account, currency, entry_count::int AS rows FROM sync_state ORDER BY account",
    );
    expect(state).toEqual([
      { account: "empty", currency: null, rows: 0 },
      { account: "main", currency: "USD", rows: 2 },
      // An account with entries and no sync state (none should be) gets one.
      { account: "yuan", currency: "CNY", rows: 0 },
    ]);
    expect(
      await raw.query("SELECT account, currency FROM balance_snapshots ORDER BY account"),
    ).toEqual([
      { account: "empty", currency: "USD" },
      { account: "main", currency: "USD" },
    ]);
    // The key holds the currency: a reading in yuan at the same moment is another snapshot.
    await raw.query(
      `INSERT INTO balance_snapshots (provider, account, currency, taken_at, balance)
       VALUES ('bytespike', 'main', 'CNY', '2026-01-02T00:00:00Z', 65)`,
    );
    // The filled currency is the one later batches must be in.
    await expect(
      raw.transaction((tx) => upsertBatch(tx, ACCOUNT, [entry(3, { currency: "CNY" })], at(10))),
    ).rejects.toThrow(CurrencyError);
  });

  it("fails the migration, changing nothing, for an account whose entries mix currencies", async () => {
    const raw = db.store.db;
    await schemaAt(raw, 3);
    await v3Entry(raw, "main", "1", "USD");
    await v3Entry(raw, "main", "2", "CNY");
    await expect(migrate(raw)).rejects.toThrow(
      "the entries of bytespike/main are in more than one currency",
    );
    const [versions] = await raw.query<{ latest: number }>(
      "SELECT max(version) AS latest FROM schema_migrations",
    );
    expect(Number(versions!.latest)).toBe(3);
    // Once the history is fixed by hand, it migrates.
    await raw.query("DELETE FROM entries WHERE currency = 'CNY'");
    expect(await migrate(raw)).toEqual(MIGRATIONS.map((m) => m.version).filter((v) => v >= 4));
  });

  it("records an account's currency with its first batch", async () => {
    const source = listSource(() => [entry(1, { currency: "CNY" }), entry(2, { currency: "CNY" })]);
    await syncAccount(db.store, { ...ACCOUNT, source, now: at(10) });
    expect((await accountStatus(db.store))[0]).toMatchObject({ currency: "CNY", rows: 2 });
  });

  it("refuses a batch in another currency than the account's, whole, and records the failure", async () => {
    await syncAccount(db.store, {
      ...ACCOUNT,
      source: listSource(() => [entry(1), entry(2)]),
      now: at(10),
    });
    const before = await written();
    // Later rows (the plain insert's path) and a stored one again (the full upsert's).
    for (const rows of [
      [entry(3, { currency: "CNY" }), entry(4, { currency: "CNY" })],
      [entry(2, { currency: "CNY" })],
    ]) {
      await expect(
        syncAccount(db.store, { ...ACCOUNT, source: listSource(() => rows), now: at(20) }),
      ).rejects.toThrow(
        "bytespike/main: entries in CNY, but the account's ledger is in USD; an account's entries are all in one currency",
      );
      expect(await written()).toEqual(before);
    }
    const [status] = await accountStatus(db.store);
    expect(status?.lastError).toMatch(/^CurrencyError: bytespike\/main: entries in CNY/);
  });

  it("refuses a batch that mixes currencies, or a code not in ISO 4217 upper case, before writing any of it", async () => {
    const mixed = [entry(1), entry(2, { currency: "CNY" }), entry(3)];
    const error = await syncAccount(db.store, {
      ...ACCOUNT,
      source: listSource(() => mixed),
      now: at(10),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CurrencyError);
    expect((error as Error).message).toBe(
      "bytespike/main: one batch holds entries in USD and in CNY (entry 2); an account's entries are all in one currency",
    );
    // Nothing of it, and no currency recorded for the account: its first batch was refused.
    const empty = await written();
    expect(empty.entries).toEqual([]);
    expect(empty.days).toEqual([]);
    expect(empty.state).toEqual([{ account: "main", currency: null, rows: 0, mark: null }]);

    await expect(
      db.store.db.transaction((tx) =>
        upsertBatch(tx, ACCOUNT, [entry(1, { currency: "usd" })], at(10)),
      ),
    ).rejects.toThrow('bytespike/main: entry 1 has currency "usd", not an ISO 4217 code');
    expect(await written()).toEqual(empty);
  });

  it("reports an account with entries in its currency and a balance-only account per currency, never summed", async () => {
    const WALLET = { provider: "wallet", account: "main" };
    await syncAccount(db.store, {
      ...ACCOUNT,
      source: listSource(() => [
        entry(1, { kind: "topup", amount: "10.00", balanceAfter: "10.00" }),
        entry(2, { amount: "-1.50", balanceAfter: "8.50" }),
      ]),
      now: at(10),
    });
    await reconcileAccount(db.store, ACCOUNT, { runningBalance: true }, [
      { currency: "USD", balance: "8.50" },
    ]);
    await reconcileAccount(db.store, WALLET, {}, [
      { currency: "CNY", balance: "110.00" },
      { currency: "USD", balance: "5.00" },
    ]);
    const figures = await reportFigures(db.store, {
      window: { since: at(0), until: new Date("2100-01-01T00:00:00Z") },
      checks: () => ({ runningBalance: true }),
    });
    const snapshotOf = (currency: string) =>
      figures.accounts.find((a) => a.provider === "wallet" && a.currency === currency)
        ?.latestSnapshot;
    expect(
      figures.accounts.map((a) => ({
        account: `${a.provider}/${a.account}`,
        currency: a.currency,
        ledger: a.ledger,
        source: a.source,
        balances: a.balances.map((p) => p.balance),
        spend: a.dailySpend.map((d) => d.amount),
        latest: a.latestSnapshot && [a.latestSnapshot.currency, a.latestSnapshot.balance],
        ledgerAtSnapshot: a.ledgerAtSnapshot,
      })),
    ).toEqual([
      {
        account: "bytespike/main",
        currency: "USD",
        ledger: true,
        source: "balanceAfter",
        balances: ["8.50"],
        spend: ["1.50"],
        latest: ["USD", "8.50"],
        ledgerAtSnapshot: "8.50",
      },
      {
        account: "wallet/main",
        currency: "CNY",
        ledger: false,
        source: "snapshots",
        balances: ["110.00"],
        spend: [],
        latest: ["CNY", "110.00"],
        ledgerAtSnapshot: undefined,
      },
      {
        account: "wallet/main",
        currency: "USD",
        ledger: false,
        source: "snapshots",
        balances: ["5.00"],
        spend: [],
        latest: ["USD", "5.00"],
        ledgerAtSnapshot: undefined,
      },
    ]);
    expect(snapshotOf("CNY")?.takenAt).toBe(snapshotOf("USD")?.takenAt);
    expect(figures.topUps.map((t) => [t.account, t.currency, t.amount])).toEqual([
      ["main", "USD", "10.00"],
    ]);
  });

  it("reports an account's balances in a currency it has no entries in apart from its ledger", async () => {
    await syncAccount(db.store, {
      ...ACCOUNT,
      source: listSource(() => [
        entry(1, { kind: "topup", amount: "10.00", balanceAfter: "10.00" }),
      ]),
      now: at(10),
    });
    await reconcileAccount(db.store, ACCOUNT, { runningBalance: true }, [
      { currency: "CNY", balance: "70.00" },
      { currency: "USD", balance: "10.00" },
    ]);
    const figures = await reportFigures(db.store, {
      window: { since: at(0), until: new Date("2100-01-01T00:00:00Z") },
      checks: () => ({ runningBalance: true }),
    });
    expect(
      figures.accounts.map((a) => [a.currency, a.ledger, a.source, a.latestSnapshot?.balance]),
    ).toEqual([
      ["CNY", false, "snapshots", "70.00"],
      ["USD", true, "balanceAfter", "10.00"],
    ]);
  });
});
