import { describe, expect, it } from "vitest";
import { listBalanceSnapshots } from "../src/index.js";
import { ENGINES, useDatabase } from "./engines.js";

describe.each(ENGINES)("balance snapshots on %s", (engine) => {
  const db = useDatabase(engine);
  const snapshot = (provider: string, account: string, takenAt: string, balance: string) =>
    db.store.db.query(
      "INSERT INTO balance_snapshots (provider, account, taken_at, balance) VALUES ($1, $2, $3, $4::numeric)",
      [provider, account, takenAt, balance],
    );

  it("lists each account's snapshots oldest first, exactly, filtered by provider and account", async () => {
    await snapshot("xai", "team", "2026-03-02T00:00:00Z", "-0.000125");
    await snapshot("bytespike", "prod", "2026-03-02T10:00:00Z", "96.67");
    await snapshot("bytespike", "prod", "2026-03-01T10:00:00Z", "100.000001");
    await snapshot("bytespike", "lab", "2026-03-01T00:00:00Z", "5");
    const all = await listBalanceSnapshots(db.store);
    expect(all).toEqual([
      { provider: "bytespike", account: "lab", takenAt: "2026-03-01T00:00:00.000Z", balance: "5" },
      {
        provider: "bytespike",
        account: "prod",
        takenAt: "2026-03-01T10:00:00.000Z",
        balance: "100.000001",
      },
      {
        provider: "bytespike",
        account: "prod",
        takenAt: "2026-03-02T10:00:00.000Z",
        balance: "96.67",
      },
      {
        provider: "xai",
        account: "team",
        takenAt: "2026-03-02T00:00:00.000Z",
        balance: "-0.000125",
      },
    ]);
    expect(await listBalanceSnapshots(db.store, { providers: ["xai"] })).toEqual([all[3]]);
    expect(await listBalanceSnapshots(db.store, { accounts: ["prod"] })).toEqual(all.slice(1, 3));
    expect(await listBalanceSnapshots(db.store, { providers: ["xai"], accounts: ["lab"] })).toEqual(
      [],
    );
  });
});
