import { describe, expect, it } from "vitest";
import { latestBalances, recordBalanceSnapshots } from "../src/index.js";
import { ENGINES, useDatabase } from "./engines.js";

describe.each(ENGINES)("latest balances on %s", (engine) => {
  const db = useDatabase(engine);

  it("gives each account's latest balance per currency, however many snapshots came before", async () => {
    expect(await latestBalances(db.store)).toEqual([]);
    const deepseek = { provider: "deepseek", account: "main" };
    const xai = { provider: "xai", account: "prod" };
    for (let i = 1; i <= 5; i++) {
      // Distinct times: snapshots are keyed by the moment they were taken.
      await db.store.db.query("SELECT pg_sleep(0.002)");
      await recordBalanceSnapshots(db.store.db, deepseek, [
        { currency: "CNY", balance: `${i}.00` },
        { currency: "USD", balance: `${10 * i}.50` },
      ]);
      if (i <= 2)
        await recordBalanceSnapshots(db.store.db, xai, [{ currency: "USD", balance: `-${i}.25` }]);
    }
    const latest = await latestBalances(db.store);
    expect(latest.map(({ takenAt, ...rest }) => rest)).toEqual([
      { provider: "deepseek", account: "main", currency: "CNY", balance: "5.00" },
      { provider: "deepseek", account: "main", currency: "USD", balance: "50.50" },
      { provider: "xai", account: "prod", currency: "USD", balance: "-2.25" },
    ]);
    expect(latest.every((b) => /^\d{4}-\d{2}-\d{2}T.*Z$/.test(b.takenAt))).toBe(true);
  });
});
