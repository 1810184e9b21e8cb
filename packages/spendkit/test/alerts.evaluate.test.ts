// The rules evaluated over a real embedded store: budgets with a scope, spikes against their
// baseline, runway episodes that fire again only after they recovered.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as storeModule from "@spendkit/store";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { evaluateRules } from "../src/alerts/evaluate.js";
import type { Rule } from "../src/alerts/rules.js";

const DAY = 86_400_000;
const now = new Date();
const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
let dir: string;
let store: storeModule.Store;

interface Row {
  account: string;
  daysAgo: number;
  amount: string;
  kind?: string;
  project?: string;
  model?: string;
}

/** Stores rows through a real sync, one account at a time, at noon of their day. */
async function load(rows: Row[]) {
  const accounts = [...new Set(rows.map((r) => r.account))];
  for (const account of accounts) {
    const mine = rows.filter((r) => r.account === account);
    await storeModule.syncAccount(store, {
      provider: "openai",
      account,
      now,
      async *source() {
        yield mine
          .map((r, i) => ({
            provider: "openai",
            id: `${account}-${i}`,
            // Today's rows an hour before now (and never before midnight), the others at noon.
            time: new Date(
              r.daysAgo === 0
                ? Math.max(today, now.getTime() - 3_600_000)
                : today - r.daysAgo * DAY + DAY / 2,
            ).toISOString(),
            kind: r.kind ?? "usage",
            amount: r.amount,
            currency: "USD",
            project: r.project,
            model: r.model,
            raw: {},
          }))
          .sort((a, b) => a.time.localeCompare(b.time));
      },
    });
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "spendkit-alerts-"));
  store = await storeModule.openStore({ engine: "pglite", path: join(dir, "store") });
  const steady = (account: string, days: number, amount: string) =>
    Array.from({ length: days }, (_, i) => ({ account, daysAgo: i + 2, amount }));
  await load([
    // 20 days of 10.00, then 60.00 yesterday and 20.00 today: yesterday is a spike.
    ...steady("steady", 20, "-10.00"),
    { account: "steady", daysAgo: 1, amount: "-60.00" },
    { account: "steady", daysAgo: 0, amount: "-20.00" },
    // A young account: 3 days of history, no baseline.
    ...steady("young", 2, "-1.00"),
    { account: "young", daysAgo: 1, amount: "-100.00" },
    // Project and model attribution, and a refund that lowers spend.
    { account: "teams", daysAgo: 0, amount: "-30.00", project: "proj_x", model: "gpt-4o" },
    { account: "teams", daysAgo: 0, amount: "-50.00", project: "proj_y", model: "gpt-4o" },
    {
      account: "teams",
      daysAgo: 0,
      amount: "5.00",
      kind: "refund",
      project: "proj_x",
      model: "gpt-4o",
    },
    { account: "teams", daysAgo: 0, amount: "500.00", kind: "topup" },
  ]);
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const evaluate = (rules: Rule[], dryRun = false) =>
  evaluateRules(store, storeModule, rules, { now, dryRun });

describe("budgets", () => {
  it("count the scope's spend, less refunds, never top-ups, at each threshold crossed", async () => {
    const rule: Rule = {
      kind: "budget",
      name: "proj-x",
      period: "day",
      amount: "30.00",
      currency: "USD",
      thresholds: ["0.5", "0.8", "1"],
      scope: { provider: "openai", account: "teams", project: "proj_x", model: "gpt-4o" },
    };
    const crossings = await evaluate([rule]);
    // 30.00 − 5.00 refunded = 25.00 of 30.00: 50 % and 80 %, not 100 %.
    expect(crossings.map((c) => c.alert.threshold)).toEqual(["0.5", "0.8"]);
    expect(crossings[0]!.alert).toMatchObject({
      observed: "25.00",
      limit: "30.00",
      currency: "USD",
    });
    expect(crossings[0]!.alert.message).toContain("project proj_x, model gpt-4o");
    // The same crossing has the same id on every evaluation.
    expect((await evaluate([rule])).map((c) => c.alert.id)).toEqual(
      crossings.map((c) => c.alert.id),
    );
  });

  it("count nothing in another currency", async () => {
    const crossings = await evaluate([
      {
        kind: "budget",
        name: "eur",
        period: "month",
        amount: "1.00",
        currency: "EUR",
        thresholds: ["0.5"],
        scope: {},
      },
    ]);
    expect(crossings).toEqual([]);
  });
});

describe("spikes", () => {
  it("fire for a day at the factor times its baseline, and not without a baseline", async () => {
    const crossings = await evaluate([
      { kind: "spike", name: "spike", factor: "5", baselineDays: 14 },
    ]);
    expect(crossings.map((c) => c.subject)).toEqual(["openai/steady/USD"]);
    const [spike] = crossings;
    expect(spike!.alert).toMatchObject({ observed: "60.00", limit: "10.00", threshold: "5" });
    expect(spike!.periodStart).toBe(new Date(today - DAY).toISOString());
    // At a factor of 7, 60.00 is under 70.00: nothing.
    expect(await evaluate([{ kind: "spike", name: "s7", factor: "7", baselineDays: 14 }])).toEqual(
      [],
    );
  });
});

describe("runway and balance floors", () => {
  it("fire once per episode: the same id while it holds, a new one after it recovered", async () => {
    const rule: Rule = { kind: "runway", name: "runway", provider: "openai", runwayDaysBelow: 7 };
    const ref = { provider: "openai", account: "steady" };
    // A burn of 12.00 a day over the 22 days of history (10.00 × 20 + 60.00 − today's 20.00
    // not counted): 50.00 lasts 4 days.
    await storeModule.recordBalanceSnapshots(store.db, ref, [
      { currency: "USD", balance: "50.00" },
    ]);
    const dry = await evaluate([rule], true);
    expect(dry).toHaveLength(1);
    expect(dry[0]!.alert.observed).toBe("4");
    const first = await evaluate([rule]);
    expect(first).toHaveLength(1);
    const again = await evaluate([rule]);
    expect(again[0]!.alert.id).toBe(first[0]!.alert.id);
    await storeModule.recordBalanceSnapshots(store.db, ref, [
      { currency: "USD", balance: "5000.00" },
    ]);
    expect(await evaluate([rule])).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await storeModule.recordBalanceSnapshots(store.db, ref, [
      { currency: "USD", balance: "10.00" },
    ]);
    const next = await evaluate([rule]);
    expect(next).toHaveLength(1);
    expect(next[0]!.alert.id).not.toBe(first[0]!.alert.id);
    expect(next[0]!.alert.observed).toBe("0");
  });

  it("compare a floor in its currency only", async () => {
    const ref = { provider: "openai", account: "teams" };
    await storeModule.recordBalanceSnapshots(store.db, ref, [
      { currency: "USD", balance: "415.00" },
      { currency: "CNY", balance: "3.00" },
    ]);
    const floor = (currency: string): Rule => ({
      kind: "balance",
      name: `floor-${currency}`,
      provider: "openai",
      account: "teams",
      below: "20.00",
      currency,
    });
    expect(await evaluate([floor("USD")])).toEqual([]);
    const cny = await evaluate([floor("CNY")]);
    expect(cny.map((c) => c.alert.message)).toEqual([expect.stringContaining("is 3.00 CNY")]);
  });
});
