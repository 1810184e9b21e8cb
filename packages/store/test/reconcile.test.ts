import { describe, expect, it } from "vitest";
import {
  CurrencyError,
  listAuditEvents,
  listBalanceSnapshots,
  reconcileAccount,
  syncAccount,
} from "../src/index.js";
import { ENGINES, entry, listSource, useDatabase } from "./engines.js";

const ACCOUNT = { provider: "bytespike", account: "main" };
/** An account whose provider reports balances only, in two currencies. */
const WALLET = { provider: "bytespike", account: "wallet" };
const now = new Date("2026-02-01T00:00:00Z");
/** The provider's balance, in dollars only. */
const usd = (balance: string) => [{ currency: "USD", balance }];

/** Rows whose running balance adds up: 100.00, then -0.37 each. */
function running(count: number) {
  let cents = 10_000;
  return Array.from({ length: count }, (_, i) => {
    const amount = i === 0 ? 10_000 : -37;
    if (i > 0) cents += amount;
    return entry(i + 1, {
      kind: i === 0 ? "topup" : "usage",
      amount: (amount / 100).toFixed(2),
      balanceAfter: (cents / 100).toFixed(2),
    });
  });
}

describe.each(ENGINES)("reconcile on %s", (engine) => {
  const db = useDatabase(engine);
  const sync = (rows: ReturnType<typeof entry>[]) =>
    syncAccount(db.store, { ...ACCOUNT, source: listSource(() => rows), now });

  it("finds nothing when the running balance adds up to the live balance", async () => {
    const rows = running(20);
    await sync(rows);
    const report = await reconcileAccount(
      db.store,
      ACCOUNT,
      { runningBalance: true },
      usd(rows.at(-1)!.balanceAfter!),
    );
    expect(report.ran).toEqual(["running_balance", "last_balance"]);
    expect(report.breaks).toEqual([]);
    expect(await listAuditEvents(db.store)).toEqual([]);
  });

  it("reports a break in the running balance with the rows around it, once, and resolves it when fixed", async () => {
    const rows = running(10);
    rows[5] = { ...rows[5]!, amount: "-0.38" }; // balance_after says -0.37 was taken
    await sync(rows);
    const report = await reconcileAccount(
      db.store,
      ACCOUNT,
      { runningBalance: true },
      usd("96.67"),
    );
    expect(report.breaks).toHaveLength(1);
    const [found] = report.breaks;
    expect(found).toMatchObject({
      check: "running_balance",
      entryId: "6",
      expected: "98.14",
      actual: "98.15",
    });
    expect(found!.rows.map((r) => r.id)).toEqual(["5", "6", "7"]);
    // Exact: a last balance one micro-dollar off is a break too.
    const offByOne = await reconcileAccount(
      db.store,
      ACCOUNT,
      { runningBalance: true },
      usd("96.670001"),
    );
    expect(offByOne.breaks.map((b) => b.check)).toEqual(["running_balance", "last_balance"]);
    const events = await listAuditEvents(db.store);
    expect(events.map((e) => [e.kind, e.subject])).toEqual([
      ["balance_break", "6"],
      ["balance_mismatch", "last_balance"],
    ]);

    rows[5] = { ...rows[5]!, amount: "-0.37" };
    await syncAccount(db.store, {
      ...ACCOUNT,
      source: listSource(() => rows),
      now: new Date("2026-02-02T00:00:00Z"),
    });
    const fixed = await reconcileAccount(db.store, ACCOUNT, { runningBalance: true }, usd("96.67"));
    expect(fixed.breaks).toEqual([]);
    // Only the revision of the corrected row stays open.
    expect((await listAuditEvents(db.store)).map((e) => e.kind)).toEqual(["changed"]);
  });

  it("reports and records the first breaks with their rows, then a count, when every row breaks", async () => {
    // A balance after that means something else: no row follows from the one before.
    const rows = running(40).map((row, i) => ({ ...row, balanceAfter: String(1_000 + i * 7) }));
    await sync(rows);
    const report = await reconcileAccount(db.store, ACCOUNT, { runningBalance: true }, undefined, {
      maxBreaks: 3,
    });
    expect(report.runningBalanceBreaks).toBe(39);
    expect(report.breaks.map((b) => [b.entryId, b.rows.map((r) => r.id)])).toEqual([
      ["2", ["1", "2", "3"]],
      ["3", ["2", "3", "4"]],
      ["4", ["3", "4", "5"]],
    ]);
    const events = () => listAuditEvents(db.store);
    expect((await events()).map((e) => [e.kind, e.subject, e.detail.more])).toEqual([
      ["balance_break", "2", undefined],
      ["balance_break", "3", undefined],
      ["balance_break", "4", undefined],
      ["balance_break", "more", 36],
    ]);

    // The same history again: nothing new is recorded, the count is updated in place.
    await reconcileAccount(db.store, ACCOUNT, { runningBalance: true }, undefined, {
      maxBreaks: 2,
    });
    expect((await events()).map((e) => [e.subject, e.detail.more])).toEqual([
      ["2", undefined],
      ["3", undefined],
      ["more", 37],
    ]);

    await sync(running(40));
    await reconcileAccount(db.store, ACCOUNT, { runningBalance: true }, undefined);
    expect((await events()).filter((e) => e.kind === "balance_break")).toEqual([]);
  });

  it("checks a balance against the sum of the kinds that make it, exactly", async () => {
    const rows = [
      entry(1, { kind: "topup", amount: "25.00" }),
      entry(2, { kind: "usage", amount: "-0.000125" }),
      entry(3, { kind: "refund", amount: "0.000025" }),
      entry(4, { kind: "invoice", amount: "-99.00" }), // not part of the balance
    ];
    await sync(rows);
    const checks = { balanceIsSumOf: ["topup", "usage", "refund"] };
    expect((await reconcileAccount(db.store, ACCOUNT, checks, usd("24.9999"))).breaks).toEqual([]);
    const off = await reconcileAccount(db.store, ACCOUNT, checks, usd("25.00"));
    expect(off.breaks).toEqual([
      { check: "sum", currency: "USD", expected: "24.999900", actual: "25.00", rows: [] },
    ]);
  });

  it("skips the sum until a sync has read the whole history", async () => {
    const failing = async function* () {
      yield [entry(1, { kind: "topup", amount: "5.00" })];
      throw new Error("connection reset");
    };
    await expect(syncAccount(db.store, { ...ACCOUNT, source: failing, now })).rejects.toThrow();
    const report = await reconcileAccount(
      db.store,
      ACCOUNT,
      { balanceIsSumOf: ["topup"] },
      usd("9.00"),
    );
    expect(report.breaks).toEqual([]);
    expect(report.skipped).toEqual([
      { check: "sum", reason: "no sync of the whole history has completed yet" },
    ]);
  });

  it("records each staff adjustment as an audit event once", async () => {
    await sync([
      entry(1, { kind: "topup", amount: "10.00" }),
      entry(2, { kind: "credit", amount: "3.00", description: "goodwill" }),
      entry(3, { kind: "debit", amount: "-1.00" }),
    ]);
    const checks = { adjustmentKinds: ["credit", "debit"] };
    expect((await reconcileAccount(db.store, ACCOUNT, checks, undefined)).newAdjustments).toBe(2);
    expect((await reconcileAccount(db.store, ACCOUNT, checks, undefined)).newAdjustments).toBe(0);
    const events = await listAuditEvents(db.store);
    expect(events.map((e) => [e.kind, e.entryId, e.detail.amount])).toEqual([
      ["adjustment", "2", "3.00"],
      ["adjustment", "3", "-1.00"],
    ]);
  });

  it("records each balance of an account with no entries, at one moment, and checks nothing", async () => {
    // Synced completely, with nothing to store: a sum of no entries would be 0.
    await syncAccount(db.store, { ...WALLET, source: listSource(() => []), now });
    const checks = { runningBalance: true, balanceIsSumOf: ["topup", "usage"] };
    const report = await reconcileAccount(db.store, WALLET, checks, [
      { currency: "CNY", balance: "110.00" },
      { currency: "USD", balance: "5.00" },
    ]);
    expect(report).toEqual({
      ...WALLET,
      ran: [],
      skipped: [],
      breaks: [],
      runningBalanceBreaks: 0,
      newAdjustments: 0,
    });
    const snapshots = await listBalanceSnapshots(db.store);
    expect(snapshots.map((s) => [s.account, s.currency, s.balance])).toEqual([
      ["wallet", "CNY", "110.00"],
      ["wallet", "USD", "5.00"],
    ]);
    expect(snapshots[0]!.takenAt).toBe(snapshots[1]!.takenAt);
    expect(await listAuditEvents(db.store, { includeResolved: true })).toEqual([]);
  });

  it("breaks last_balance when the provider reports no balance in the ledger's currency, until it does", async () => {
    const rows = running(5);
    await sync(rows);
    const report = await reconcileAccount(db.store, ACCOUNT, { runningBalance: true }, [
      { currency: "CNY", balance: "98.52" },
    ]);
    expect(report.currency).toBe("USD");
    expect(report.ran).toEqual(["running_balance", "last_balance"]);
    expect(report.breaks).toMatchObject([
      {
        check: "last_balance",
        entryId: "5",
        currency: "USD",
        expected: "98.52",
        rows: [{ id: "5" }],
      },
    ]);
    expect(report.breaks[0]!.actual).toBeUndefined();
    const events = await listAuditEvents(db.store);
    expect(events.map((e) => [e.kind, e.subject, e.detail])).toEqual([
      [
        "balance_mismatch",
        "last_balance",
        {
          check: "last_balance",
          currency: "USD",
          entries: "98.52",
          provider: null,
          message: "the provider reports no balance in USD",
        },
      ],
    ]);
    // Kept anyway, in its own currency.
    expect((await listBalanceSnapshots(db.store)).map((s) => s.currency)).toEqual(["CNY"]);

    const fixed = await reconcileAccount(db.store, ACCOUNT, { runningBalance: true }, usd("98.52"));
    expect(fixed.breaks).toEqual([]);
    expect(await listAuditEvents(db.store)).toEqual([]);
  });

  it("breaks the sum when the provider reports no balance in the ledger's currency", async () => {
    await sync([entry(1, { kind: "topup", amount: "25.00" }), entry(2, { amount: "-1.00" })]);
    const report = await reconcileAccount(
      db.store,
      ACCOUNT,
      { balanceIsSumOf: ["topup", "usage"] },
      [],
    );
    expect(report.ran).toEqual(["sum"]);
    expect(report.breaks).toEqual([
      { check: "sum", currency: "USD", expected: "24.00", actual: undefined, rows: [] },
    ]);
    expect(
      (await listAuditEvents(db.store)).map((e) => [e.kind, e.subject, e.detail.message]),
    ).toEqual([["balance_mismatch", "sum", "the provider reports no balance in USD"]]);
  });

  it("refuses a live balance whose currency is not an ISO 4217 code, or one currency twice, before recording any", async () => {
    await expect(
      reconcileAccount(db.store, WALLET, {}, [{ currency: "usd", balance: "1" }]),
    ).rejects.toThrow(CurrencyError);
    await expect(
      reconcileAccount(db.store, WALLET, {}, [
        { currency: "CNY", balance: "1" },
        { currency: "CNY", balance: "2" },
      ]),
    ).rejects.toThrow("bytespike/wallet: two live balances in CNY");
    expect(await listBalanceSnapshots(db.store)).toEqual([]);
  });
});
