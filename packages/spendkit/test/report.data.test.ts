// The report's data from hand-made stored entries in a real store (both engines): every kind,
// several accounts of three providers, a window, audit events and balance snapshots — every
// figure exact, computed by the store's SQL and named by the adapters.
import { validateReportData } from "@spendkit/report";
import {
  type AuditEvent,
  type BalanceSnapshot,
  openStore,
  reportFigures,
  type Store,
  type StoredEntry,
  upsertBatch,
} from "@spendkit/store";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { buildReportData, reportChecks } from "../src/report-data.js";
import { ENGINES, storeLocation } from "./store-fixture.js";

let serial = 0;
const e = (
  provider: string,
  account: string,
  id: string,
  time: string,
  kind: string,
  amount: string,
  fields: Partial<StoredEntry> = {},
): StoredEntry => ({
  provider,
  account,
  id,
  time,
  kind,
  amount,
  currency: "USD",
  raw: { serial: serial++ },
  ...fields,
});

const ENTRIES: StoredEntry[] = [
  // bytespike/prod reports balanceAfter. Before the window:
  e("bytespike", "prod", "1", "2026-03-01T10:00:00.000Z", "topup", "100.00", {
    balanceAfter: "100.00",
  }),
  e("bytespike", "prod", "2", "2026-03-02T09:00:00.000Z", "subscription", "-10.00", {
    balanceAfter: "90.00",
  }),
  // Two at one time: "10" sorts before "9" as text; the balance is the natural order's last.
  e("bytespike", "prod", "9", "2026-03-02T12:00:00.000Z", "refund", "1.50", {
    balanceAfter: "91.50",
  }),
  e("bytespike", "prod", "10", "2026-03-02T12:00:00.000Z", "credit", "5.00", {
    balanceAfter: "96.50",
    description: "sorry",
  }),
  e("bytespike", "prod", "11", "2026-03-03T08:00:00.000Z", "debit", "-2.000001", {
    balanceAfter: "94.499999",
  }),
  // After the window, before prod's snapshot.
  e("bytespike", "prod", "12", "2026-03-04T01:00:00.000Z", "subscription", "-4.00", {
    balanceAfter: "90.499999",
  }),
  e("bytespike", "lab", "1", "2026-03-03T00:00:00.000Z", "topup", "20", {
    balanceAfter: "20",
    reference: "ch_1",
  }),
  // wavespeed/main: the balance is the sum of top-ups, usage and refunds.
  e("wavespeed", "main", "w1", "2026-02-20T00:00:00.000Z", "topup", "50.00"),
  e("wavespeed", "main", "w2", "2026-03-02T01:00:00.000Z", "usage", "-0.000125", {
    model: "wan-2.1",
  }),
  e("wavespeed", "main", "w3", "2026-03-02T02:00:00.000Z", "usage", "-1.20", { model: "wan-2.1" }),
  e("wavespeed", "main", "w4", "2026-03-03T03:00:00.000Z", "refund", "0.20", { model: "wan-2.1" }),
  e("wavespeed", "main", "w5", "2026-03-03T04:00:00.000Z", "usage", "-3.00", { model: "flux" }),
  // xai/team: an invoice is spend but not part of the prepaid balance; a staff credit.
  e("xai", "team", "x1", "2026-03-02T05:00:00.000Z", "invoice", "-30.00"),
  e("xai", "team", "x2", "2026-03-02T06:00:00.000Z", "credit", "2.50", { description: "goodwill" }),
  e("xai", "team", "x3", "2026-03-03T07:00:00.000Z", "topup", "10.00"),
];

const EVENTS: AuditEvent[] = [
  {
    id: 1,
    kind: "adjustment",
    provider: "bytespike",
    account: "prod",
    entryId: "10",
    subject: "10",
    detail: { time: "2026-03-02T12:00:00.000Z", kind: "credit", amount: "5.00", description: null },
    createdAt: "2026-03-05T00:00:00.000Z",
  },
  {
    id: 2,
    kind: "balance_break",
    provider: "bytespike",
    account: "lab",
    entryId: "1",
    subject: "1",
    detail: { expected: "19.00", actual: "20", rows: ["1"] },
    createdAt: "2026-03-05T00:00:01.000Z",
  },
];

const SNAPSHOTS: BalanceSnapshot[] = [
  {
    provider: "bytespike",
    account: "prod",
    currency: "USD",
    takenAt: "2026-03-05T00:00:00.000Z",
    balance: "90.499999",
  },
  {
    provider: "wavespeed",
    account: "main",
    currency: "USD",
    takenAt: "2026-03-01T00:00:00.000Z",
    balance: "50",
  },
  {
    provider: "wavespeed",
    account: "main",
    currency: "USD",
    takenAt: "2026-03-03T12:00:00.000Z",
    balance: "46",
  },
];

/** The last complete sync of each account (xai/team: none). */
const SYNCED: [string, string, string][] = [
  ["wavespeed", "main", "2026-03-03T12:00:00.000Z"],
  ["bytespike", "prod", "2026-03-05T00:00:00.000Z"],
  ["bytespike", "lab", "2026-03-05T00:00:00.000Z"],
];

const NOW = new Date("2026-03-06T00:00:00Z");

/** Stores entries, the sync state, audit events and snapshots as sync and reconcile would. */
async function fill(
  store: Store,
  entries: readonly StoredEntry[],
  events: readonly AuditEvent[],
  snapshots: readonly BalanceSnapshot[],
) {
  const accounts = [...new Set(entries.map((x) => `${x.provider}/${x.account}`))];
  for (const id of accounts) {
    const [provider, account] = id.split("/") as [string, string];
    await store.db.transaction((tx) =>
      upsertBatch(
        tx,
        { provider, account },
        entries.filter((x) => x.provider === provider && x.account === account),
        NOW,
      ),
    );
  }
  for (const [provider, account, at] of SYNCED) {
    await store.db.query(
      "UPDATE sync_state SET last_success = $3 WHERE provider = $1 AND account = $2",
      [provider, account, at],
    );
  }
  for (const e of events) {
    await store.db.query(
      `INSERT INTO audit_events (kind, provider, account, entry_id, subject, detail, created_at)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7)`,
      [
        e.kind,
        e.provider,
        e.account,
        e.entryId ?? null,
        e.subject,
        JSON.stringify(e.detail),
        e.createdAt,
      ],
    );
  }
  for (const s of snapshots) {
    await store.db.query(
      `INSERT INTO balance_snapshots (provider, account, currency, taken_at, balance)
       VALUES ($1, $2, $3, $4, $5)`,
      [s.provider, s.account, s.currency, s.takenAt, s.balance],
    );
  }
}

describe.each(ENGINES)("the report's data on %s", (engine) => {
  let place: Awaited<ReturnType<typeof storeLocation>>;
  let store: Store;
  beforeAll(async () => {
    place = await storeLocation(engine);
    store = await openStore(place.location);
  });
  afterAll(async () => {
    await store?.close();
    await place?.stop();
  });
  beforeEach(async () => {
    await store.db.query(
      "TRUNCATE entries, entry_revisions, entry_days, sync_state, audit_events, balance_snapshots",
    );
  });

  const report = async (window: { since?: Date | undefined; until: Date }) =>
    buildReportData(await reportFigures(store, { window, checks: reportChecks }), NOW);
  const build = async (window: { since?: Date | undefined; until: Date }) => {
    await fill(store, ENTRIES, EVENTS, SNAPSHOTS);
    return report(window);
  };

  it("fills every field from the entries of the window, exactly", async () => {
    const data = await build({
      since: new Date("2026-03-02T00:00:00Z"),
      until: new Date("2026-03-04T00:00:00Z"),
    });
    expect(() => validateReportData(data)).not.toThrow();
    expect(data.window).toEqual({
      since: "2026-03-02T00:00:00.000Z",
      until: "2026-03-04T00:00:00.000Z",
    });
    expect(data.generatedAt).toBe("2026-03-06T00:00:00.000Z");
    // Named by the adapters' display names, in the registry's order.
    expect(data.providers).toEqual([
      { id: "bytespike", name: "ByteSpike" },
      { id: "wavespeed", name: "WaveSpeedAI" },
      { id: "xai", name: "xAI" },
    ]);
    expect(data.accounts).toEqual([
      { id: "bytespike/lab/USD", provider: "bytespike", name: "lab", currency: "USD" },
      { id: "bytespike/prod/USD", provider: "bytespike", name: "prod", currency: "USD" },
      { id: "wavespeed/main/USD", provider: "wavespeed", name: "main", currency: "USD" },
      { id: "xai/team/USD", provider: "xai", name: "team", currency: "USD" },
    ]);
    // Usage, renewals and invoices net of refunds, positive; adjustments and top-ups apart.
    expect(data.dailySpend).toEqual([
      { date: "2026-03-02", account: "bytespike/prod/USD", amount: "8.50" },
      { date: "2026-03-02", account: "wavespeed/main/USD", amount: "1.200125" },
      { date: "2026-03-02", account: "xai/team/USD", amount: "30.00" },
      { date: "2026-03-03", account: "wavespeed/main/USD", amount: "2.80" },
    ]);
    expect(data.spendByModel).toEqual([
      { account: "wavespeed/main/USD", model: "flux", amount: "3.00" },
      { account: "wavespeed/main/USD", model: "wan-2.1", amount: "1.000125" },
    ]);
    expect(data.topUps).toEqual([
      {
        account: "bytespike/lab/USD",
        time: "2026-03-03T00:00:00.000Z",
        amount: "20.00",
        reference: "ch_1",
      },
      { account: "xai/team/USD", time: "2026-03-03T07:00:00.000Z", amount: "10.00" },
    ]);
    expect(data.adjustments).toEqual([
      {
        account: "xai/team/USD",
        time: "2026-03-02T06:00:00.000Z",
        amount: "2.50",
        description: "goodwill",
      },
      {
        account: "bytespike/prod/USD",
        time: "2026-03-02T12:00:00.000Z",
        amount: "5.00",
        description: "sorry",
      },
      { account: "bytespike/prod/USD", time: "2026-03-03T08:00:00.000Z", amount: "-2.000001" },
    ]);
    expect(data.balances).toEqual([
      // balanceAfter, no history before the window.
      {
        account: "bytespike/lab/USD",
        points: [{ time: "2026-03-03T00:00:00.000Z", balance: "20.00" }],
      },
      {
        account: "bytespike/prod/USD",
        points: [
          { time: "2026-03-02T00:00:00.000Z", balance: "100.00" },
          { time: "2026-03-02T12:00:00.000Z", balance: "96.50" },
          { time: "2026-03-03T08:00:00.000Z", balance: "94.499999" },
        ],
      },
      // The running sum of top-ups, usage and refunds, from the whole history.
      {
        account: "wavespeed/main/USD",
        points: [
          { time: "2026-03-02T00:00:00.000Z", balance: "50.00" },
          { time: "2026-03-02T02:00:00.000Z", balance: "48.799875" },
          { time: "2026-03-03T04:00:00.000Z", balance: "45.999875" },
        ],
      },
      // The invoice is not drawn from the prepaid balance.
      {
        account: "xai/team/USD",
        points: [
          { time: "2026-03-02T06:00:00.000Z", balance: "2.50" },
          { time: "2026-03-03T07:00:00.000Z", balance: "12.50" },
        ],
      },
    ]);
    expect(data.auditEvents).toEqual([
      {
        account: "bytespike/prod/USD",
        time: "2026-03-05T00:00:00.000Z",
        kind: "adjustment",
        message: "staff credit of 5.00",
      },
      {
        account: "bytespike/lab/USD",
        time: "2026-03-05T00:00:01.000Z",
        kind: "balance_break",
        message: "running balance breaks at entry 1: the entries give 19.00, the provider says 20",
      },
    ]);
    expect(data.reconciliation).toEqual([
      {
        account: "bytespike/lab/USD",
        status: "mismatch",
        note: "1 open reconciliation break (see spendkit audit)",
      },
      {
        account: "bytespike/prod/USD",
        status: "matched",
        checkedAt: "2026-03-05T00:00:00.000Z",
        // The ledger as of the snapshot: entry 12, after the window, included.
        ledgerBalance: "90.499999",
        providerBalance: "90.499999",
        note: "the stored entries add up to the provider's balance",
      },
      {
        account: "wavespeed/main/USD",
        status: "mismatch",
        checkedAt: "2026-03-03T12:00:00.000Z",
        ledgerBalance: "45.999875",
        providerBalance: "46.00",
        note: "the stored entries differ from the provider's balance",
      },
      {
        account: "xai/team/USD",
        status: "unchecked",
        note: "not reconciled yet (spendkit reconcile)",
      },
    ]);
  });

  it("without --since starts on the day of the first entry; a sum check needs a complete sync", async () => {
    await fill(store, ENTRIES, [], SNAPSHOTS);
    await store.db.query("UPDATE sync_state SET last_success = NULL WHERE provider = 'wavespeed'");
    const data = await report({ since: undefined, until: new Date("2026-03-02T01:30:00Z") });
    expect(data.window).toEqual({
      since: "2026-02-20T00:00:00.000Z",
      until: "2026-03-02T01:30:00.000Z",
    });
    // Every account the store knows, also those without an entry in the window.
    expect(data.accounts.map((a) => a.id)).toEqual([
      "bytespike/lab/USD",
      "bytespike/prod/USD",
      "wavespeed/main/USD",
      "xai/team/USD",
    ]);
    expect(data.dailySpend).toEqual([
      { date: "2026-03-02", account: "wavespeed/main/USD", amount: "0.000125" },
    ]);
    expect(data.topUps).toEqual([
      { account: "wavespeed/main/USD", time: "2026-02-20T00:00:00.000Z", amount: "50.00" },
      { account: "bytespike/prod/USD", time: "2026-03-01T10:00:00.000Z", amount: "100.00" },
    ]);
    expect(data.reconciliation.find((r) => r.account === "wavespeed/main/USD")).toMatchObject({
      status: "unchecked",
      note: "no sync of the whole history has completed yet",
    });
  });

  it("an empty store gives a valid report of the 30 days before the end", async () => {
    const data = await report({ since: undefined, until: NOW });
    expect(() => validateReportData(data)).not.toThrow();
    expect(data.window.since).toBe("2026-02-04T00:00:00.000Z");
    expect(data.accounts).toEqual([]);
  });

  it("an account with neither balanceAfter nor a sum of kinds draws its snapshots", async () => {
    await fill(
      store,
      [e("elsewhere", "one", "a", "2026-03-02T00:00:00.000Z", "usage", "-1")],
      [],
      [
        {
          provider: "elsewhere",
          account: "one",
          currency: "USD",
          takenAt: "2026-02-01T00:00:00.000Z",
          balance: "9",
        },
        {
          provider: "elsewhere",
          account: "one",
          currency: "USD",
          takenAt: "2026-03-03T00:00:00.000Z",
          balance: "8",
        },
      ],
    );
    const data = await report({ since: new Date("2026-03-01T00:00:00Z"), until: NOW });
    // Not in the registry: named by its id.
    expect(data.providers).toEqual([{ id: "elsewhere", name: "elsewhere" }]);
    expect(data.balances).toEqual([
      {
        account: "elsewhere/one/USD",
        points: [{ time: "2026-03-03T00:00:00.000Z", balance: "8.00" }],
      },
    ]);
    expect(data.reconciliation).toEqual([
      {
        account: "elsewhere/one/USD",
        status: "unchecked",
        checkedAt: "2026-03-03T00:00:00.000Z",
        providerBalance: "8.00",
        note: "no check applies to this provider",
      },
    ]);
  });

  it("an account in several currencies is one report account per currency, never summed", async () => {
    const snapshot = (provider: string, account: string, currency: string, balance: string) => ({
      provider,
      account,
      currency,
      takenAt: "2026-03-05T00:00:00.000Z",
      balance,
    });
    await fill(
      store,
      ENTRIES.filter((x) => x.account === "lab"),
      [
        {
          id: 1,
          kind: "balance_mismatch",
          provider: "bytespike",
          account: "lab",
          subject: "last_balance",
          detail: { check: "last_balance", currency: "USD", entries: "20", provider: null },
          createdAt: "2026-03-05T00:00:00.000Z",
        },
      ],
      [
        // lab's entries are in dollars; the provider answered in yuan only.
        snapshot("bytespike", "lab", "CNY", "140"),
        // A provider that reports balances only, in two currencies.
        snapshot("elsewhere", "wallet", "CNY", "110.00"),
        snapshot("elsewhere", "wallet", "USD", "5.00"),
      ],
    );
    const data = await report({ since: new Date("2026-03-01T00:00:00Z"), until: NOW });
    expect(() => validateReportData(data)).not.toThrow();
    expect(data.accounts).toEqual([
      { id: "bytespike/lab/CNY", provider: "bytespike", name: "lab", currency: "CNY" },
      { id: "bytespike/lab/USD", provider: "bytespike", name: "lab", currency: "USD" },
      { id: "elsewhere/wallet/CNY", provider: "elsewhere", name: "wallet", currency: "CNY" },
      { id: "elsewhere/wallet/USD", provider: "elsewhere", name: "wallet", currency: "USD" },
    ]);
    // Each currency's balances apart; the entries' top-up only in their currency.
    expect(data.balances).toEqual([
      {
        account: "bytespike/lab/CNY",
        points: [{ time: "2026-03-05T00:00:00.000Z", balance: "140.00" }],
      },
      {
        account: "bytespike/lab/USD",
        points: [{ time: "2026-03-03T00:00:00.000Z", balance: "20.00" }],
      },
      {
        account: "elsewhere/wallet/CNY",
        points: [{ time: "2026-03-05T00:00:00.000Z", balance: "110.00" }],
      },
      {
        account: "elsewhere/wallet/USD",
        points: [{ time: "2026-03-05T00:00:00.000Z", balance: "5.00" }],
      },
    ]);
    expect(data.topUps.map((t) => [t.account, t.amount])).toEqual([["bytespike/lab/USD", "20.00"]]);
    // The entries' events go with their currency.
    expect(data.auditEvents).toEqual([
      {
        account: "bytespike/lab/USD",
        time: "2026-03-05T00:00:00.000Z",
        kind: "balance_mismatch",
        message: "the provider reports no balance in USD (the ledger's is 20)",
      },
    ]);
    expect(data.reconciliation).toEqual([
      {
        account: "bytespike/lab/CNY",
        status: "unchecked",
        checkedAt: "2026-03-05T00:00:00.000Z",
        providerBalance: "140.00",
        note: "no entries in CNY to check: the account's entries are in USD",
      },
      {
        account: "bytespike/lab/USD",
        status: "mismatch",
        note: "1 open reconciliation break (see spendkit audit)",
      },
      {
        account: "elsewhere/wallet/CNY",
        status: "unchecked",
        checkedAt: "2026-03-05T00:00:00.000Z",
        providerBalance: "110.00",
        note: "balances only: no entries to check them against",
      },
      {
        account: "elsewhere/wallet/USD",
        status: "unchecked",
        checkedAt: "2026-03-05T00:00:00.000Z",
        providerBalance: "5.00",
        note: "balances only: no entries to check them against",
      },
    ]);
  });
});
