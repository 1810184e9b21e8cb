import { describe, expect, it } from "vitest";
import { listBalanceSnapshots } from "../src/index.js";
import { ENGINES, useDatabase } from "./engines.js";

describe.each(ENGINES)("balance snapshots on %s", (engine) => {
  const db = useDatabase(engine);
  const snapshot = (
    provider: string,
    account: string,
    currency: string,
    takenAt: string,
    balance: string,
  ) =>
    db.store.db.query(
      "INSERT INTO balance_snapshots (provider, account, currency, taken_at, balance) VALUES ($1, $2, $3, $4, $5::numeric)",
      [provider, account, currency, takenAt, balance],
    );

  it("lists each account's snapshots per currency oldest first, exactly, filtered by provider and account", async () => {
    await snapshot("xai", "team", "USD", "2026-03-02T00:00:00Z", "-0.000125");
    await snapshot("bytespike", "prod", "USD", "2026-03-02T10:00:00Z", "96.67");
    await snapshot("bytespike", "prod", "USD", "2026-03-01T10:00:00Z", "100.000001");
    // One reading of two currencies: two snapshots at the same moment, never one sum.
    await snapshot("bytespike", "prod", "CNY", "2026-03-02T10:00:00Z", "700.00");
    await snapshot("bytespike", "lab", "USD", "2026-03-01T00:00:00Z", "5");
    const all = await listBalanceSnapshots(db.store);
    expect(all).toEqual([
      {
        provider: "bytespike",
        account: "lab",
        currency: "USD",
        takenAt: "2026-03-01T00:00:00.000Z",
        balance: "5",
      },
      {
        provider: "bytespike",
        account: "prod",
        currency: "CNY",
        takenAt: "2026-03-02T10:00:00.000Z",
        balance: "700.00",
      },
      {
        provider: "bytespike",
        account: "prod",
        currency: "USD",
        takenAt: "2026-03-01T10:00:00.000Z",
        balance: "100.000001",
      },
      {
        provider: "bytespike",
        account: "prod",
        currency: "USD",
        takenAt: "2026-03-02T10:00:00.000Z",
        balance: "96.67",
      },
      {
        provider: "xai",
        account: "team",
        currency: "USD",
        takenAt: "2026-03-02T00:00:00.000Z",
        balance: "-0.000125",
      },
    ]);
    expect(await listBalanceSnapshots(db.store, { providers: ["xai"] })).toEqual([all[4]]);
    expect(await listBalanceSnapshots(db.store, { accounts: ["prod"] })).toEqual(all.slice(1, 4));
    expect(await listBalanceSnapshots(db.store, { providers: ["xai"], accounts: ["lab"] })).toEqual(
      [],
    );
  });

  it("refuses a currency that is not an ISO 4217 code in upper case", async () => {
    await expect(
      snapshot("bytespike", "prod", "usd", "2026-03-01T00:00:00Z", "1"),
    ).rejects.toThrow();
    expect(await listBalanceSnapshots(db.store)).toEqual([]);
  });
});
