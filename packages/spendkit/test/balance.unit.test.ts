// The balance command's table and JSON, and the days a sync after a long gap can no longer read:
// the application's side of the credit providers, over real clients with an answering fetch.
import { createDeepSeekClient, createOpenRouterClient } from "@spendkit/ledger";
import { fakeFetch } from "@spendkit/mock";
import { describe, expect, it } from "vitest";
import { balanceJson, balanceTable, fetchBalances } from "../src/cli/balance.js";
import { lostDays } from "../src/retention.js";

const openrouter = () =>
  createOpenRouterClient({
    apiKey: "sk-or-mgmt-test",
    baseUrl: "https://openrouter.test",
    maxRetries: 0,
    fetch: fakeFetch(() => ({ json: { data: { total_credits: 100.5, total_usage: 25.75 } } })),
  });

const deepseek = (json: unknown) =>
  createDeepSeekClient({
    apiKey: "sk-ds-test",
    baseUrl: "https://deepseek.test",
    maxRetries: 0,
    fetch: fakeFetch(() => ({ json })),
  });

describe("currencies are never mixed", () => {
  it("balance: a line per account and currency, a total per currency, no mixed total", async () => {
    const result = await fetchBalances([
      {
        provider: "deepseek",
        account: "main",
        client: deepseek({
          is_available: true,
          balance_infos: [
            { currency: "CNY", total_balance: "110.00" },
            { currency: "USD", total_balance: "5.00" },
          ],
        }),
      },
      { provider: "openrouter", account: "team", client: openrouter() },
    ]);
    const table = balanceTable(result);
    expect(table).toMatch(/deepseek\s+main\s+CNY\s+110\.00/);
    expect(table).toMatch(/deepseek\s+main\s+USD\s+5\.00/);
    expect(table).toMatch(/openrouter\s+team\s+USD\s+74\.75/);
    expect(table).toMatch(/total\s+CNY\s+110\.00/);
    expect(table).toMatch(/total\s+USD\s+79\.75/);
    // 110 + 5 + 74.75: what adding yuan to dollars would print
    expect(table).not.toContain("189.75");
    expect(JSON.parse(balanceJson(result.rows))).toEqual([
      { provider: "deepseek", account: "main", currency: "CNY", balance: "110.00" },
      { provider: "deepseek", account: "main", currency: "USD", balance: "5.00" },
      { provider: "openrouter", account: "team", currency: "USD", balance: "74.75" },
    ]);
  });
});

describe("retention", () => {
  const now = new Date("2026-12-04T10:00:00Z");
  it("nothing is lost while the store reaches into the 30 days kept", () => {
    expect(lostDays(new Date("2026-11-04T08:00:00Z"), now, 30)).toBeUndefined();
    expect(lostDays(new Date("2026-12-03T08:00:00Z"), now, 30)).toBeUndefined();
  });
  it("names the days between what is stored and what the provider still keeps", () => {
    expect(lostDays(new Date("2026-11-03T23:00:00Z"), now, 30)).toEqual({
      first: "2026-11-03",
      last: "2026-11-03",
      count: 1,
    });
    expect(lostDays(new Date("2026-10-20T12:00:00Z"), now, 30)).toEqual({
      first: "2026-10-20",
      last: "2026-11-03",
      count: 15,
    });
  });
});
