// The credit and balance providers: OpenRouter's activity becomes usage entries (stable ids,
// the 30 completed days it keeps, repeats and stray days refused with a warning) and its balance
// is credits minus usage, exactly; DeepSeek has balances only, one per currency, never added up.
import { describe, expect, it } from "vitest";
import { balancesOf } from "../src/adapters/deepseek.js";
import { activityEntry, lastCompleteDay } from "../src/adapters/openrouter.js";
import { currencyCode, PerCurrency } from "../src/currency.js";
import {
  adapters,
  createDeepSeekClient,
  createOpenRouterClient,
  type LedgerEntry,
  LedgerTotals,
  ledger,
} from "../src/index.js";
import { RecordError } from "../src/records.js";
import { collect, fakeFetch } from "./helpers.js";

const DAY_MS = 86_400_000;
const dayBefore = (days: number) =>
  new Date(Date.parse(new Date().toISOString().slice(0, 10)) - days * DAY_MS)
    .toISOString()
    .slice(0, 10);

const activity = (fields: Record<string, unknown> = {}) => ({
  date: dayBefore(2),
  model: "openai/gpt-4.1",
  model_permaslug: "openai/gpt-4.1-2025-04-14",
  endpoint_id: "550e8400-e29b-41d4-a716-446655440000",
  provider_name: "OpenAI",
  usage: 0.015,
  byok_usage_inference: 0.012,
  requests: 5,
  prompt_tokens: 50,
  completion_tokens: 125,
  reasoning_tokens: 25,
  ...fields,
});

const openrouter = (rows: unknown[], credits = { total_credits: 100.5, total_usage: 25.75 }) =>
  createOpenRouterClient({
    apiKey: "sk-or-mgmt-test",
    baseUrl: "https://openrouter.test",
    maxRetries: 0,
    fetch: fakeFetch(({ url }) =>
      url.pathname === "/api/v1/credits" ? { json: { data: credits } } : { json: { data: rows } },
    ),
  });

const deepseek = (json: unknown, status = 200) =>
  createDeepSeekClient({
    apiKey: "sk-ds-test",
    baseUrl: "https://deepseek.test",
    maxRetries: 0,
    fetch: fakeFetch(() => ({ status, json })),
  });

async function ledgerOf(client: ReturnType<typeof openrouter>) {
  const warnings: string[] = [];
  const entries = await collect(
    ledger({ openrouter: client }, { onWarning: (_, message) => warnings.push(message) }),
  );
  return { entries, warnings };
}

describe("OpenRouter activity", () => {
  it("becomes a usage entry per day, model and endpoint: dollars negated, model kept", () => {
    const row = activity({ date: "2026-11-20" });
    const entry = activityEntry(row as never, "2026-12-03");
    expect(entry).toEqual({
      provider: "openrouter",
      id: "2026-11-20T00:00:00.000Z|openai/gpt-4.1-2025-04-14|550e8400-e29b-41d4-a716-446655440000|",
      time: "2026-11-20T00:00:00.000Z",
      kind: "usage",
      amount: "-0.015",
      currency: "USD",
      model: "openai/gpt-4.1",
      description: "openai/gpt-4.1-2025-04-14 via OpenAI",
      reference: "550e8400-e29b-41d4-a716-446655440000",
      raw: row,
    });
    // the same row read again (next sync) is the same entry
    expect(activityEntry(row as never, "2026-12-03").id).toBe(entry.id);
  });

  it("takes yesterday (UTC) as the last completed day", () => {
    expect(lastCompleteDay(new Date("2026-12-04T20:00:00Z"))).toBe("2026-12-03");
    expect(lastCompleteDay(new Date("2026-12-04T00:00:00Z"))).toBe("2026-12-03");
  });

  it("refuses a day not completed yet, and one that is no day", () => {
    for (const date of ["2026-12-04", "2027-01-01", "2026-02-30", "yesterday", 7, null]) {
      expect(() => activityEntry(activity({ date }) as never, "2026-12-03")).toThrow(RecordError);
    }
    // an old completed day is a fact the provider reports: booked
    expect(activityEntry(activity({ date: "2026-10-01" }) as never, "2026-12-03").time).toBe(
      "2026-10-01T00:00:00.000Z",
    );
  });

  it("books rows out of order in time order, drops a repeated row with a warning", async () => {
    const older = activity({ date: dayBefore(5), usage: 1.25 });
    const newer = activity({ date: dayBefore(1), model: "anthropic/claude", usage: 0.5 });
    const repeat = { ...newer, usage: 0.75 };
    const { entries, warnings } = await ledgerOf(openrouter([newer, older, repeat, newer]));
    expect(entries.map((e) => [e.time.slice(0, 10), e.amount])).toEqual([
      [dayBefore(5), "-1.25"],
      [dayBefore(1), "-0.50"],
    ]);
    expect(warnings).toEqual([
      expect.stringMatching(/listed more than once; the first is kept \(-0\.50, not -0\.75\)/),
      expect.stringMatching(/listed more than once; the first is kept$/),
    ]);
  });

  it("skips, with a warning naming the day, a row of today or later; books an old one", async () => {
    const old = activity({ date: dayBefore(45) });
    const today = activity({ date: dayBefore(0) });
    const tomorrow = activity({ date: dayBefore(-1) });
    const { entries, warnings } = await ledgerOf(openrouter([old, activity(), today, tomorrow]));
    expect(entries.map((e) => e.time.slice(0, 10))).toEqual([dayBefore(45), dayBefore(2)]);
    expect(warnings).toEqual([
      expect.stringContaining(`${dayBefore(0)} is not a completed UTC day yet`),
      expect.stringContaining(`${dayBefore(-1)} is not a completed UTC day yet`),
    ]);
  });

  it("refuses an amount that is not dollars as a number", async () => {
    const { entries, warnings } = await ledgerOf(
      openrouter([activity({ usage: "1e3" }), activity({ usage: null, model: "x/y" })]),
    );
    expect(entries).toEqual([]);
    expect(warnings).toHaveLength(2);
  });

  it("has a balance of credits bought minus credits used, exactly", async () => {
    expect(await adapters.openrouter.balance!(openrouter([]))).toEqual([
      { currency: "USD", micros: 74_750_000n },
    ]);
    // 0.1 + 0.2 in floats is 0.30000000000000004; here 0.3 - 0.1 is exactly 0.2
    expect(
      await adapters.openrouter.balance!(openrouter([], { total_credits: 0.3, total_usage: 0.1 })),
    ).toEqual([{ currency: "USD", micros: 200_000n }]);
  });

  it("reports usage above credits as the negative balance it is, not zero", async () => {
    expect(
      await adapters.openrouter.balance!(
        openrouter([], { total_credits: 10, total_usage: 12.345678 }),
      ),
    ).toEqual([{ currency: "USD", micros: -2_345_678n }]);
  });

  it("sums usage per day and model with requests and tokens", async () => {
    const rows = await adapters.openrouter.usage(
      openrouter([
        activity(),
        activity({ endpoint_id: "another-endpoint", usage: 0.005, requests: 1 }),
      ]),
      { since: new Date(Date.now() - 30 * DAY_MS), until: new Date() },
    );
    expect(rows).toEqual([
      {
        provider: "openrouter",
        day: dayBefore(2),
        model: "openai/gpt-4.1",
        currency: "USD",
        micros: 20_000n,
        requests: 6,
        tokens: 350,
      },
    ]);
  });
});

describe("DeepSeek balances", () => {
  const answer = {
    is_available: true,
    balance_infos: [
      {
        currency: "USD",
        total_balance: "5.00",
        granted_balance: "0.00",
        topped_up_balance: "5.00",
      },
      {
        currency: "CNY",
        total_balance: "110.00",
        granted_balance: "10.00",
        topped_up_balance: "100.00",
      },
    ],
  };

  it("gives one balance per currency, in currency order, never a sum", async () => {
    expect(await adapters.deepseek.balance!(deepseek(answer))).toEqual([
      { currency: "CNY", micros: 110_000_000n },
      { currency: "USD", micros: 5_000_000n },
    ]);
  });

  it("refuses an exponent, a currency that is not three letters, a currency listed twice", () => {
    const info = answer.balance_infos[0]!;
    for (const infos of [
      [{ ...info, total_balance: "1e3" }],
      [{ ...info, currency: "US" }],
      [{ ...info, currency: "US$" }],
      [{ ...info, currency: 840 }],
      [info, { ...info, total_balance: "1.00" }],
    ]) {
      expect(() => balancesOf({ is_available: true, balance_infos: infos } as never)).toThrow(
        RecordError,
      );
    }
  });

  it("upper-cases a lower-case code rather than refusing it", () => {
    expect(
      balancesOf({
        is_available: true,
        balance_infos: [{ currency: "cny", total_balance: "1.50" }],
      } as never),
    ).toEqual([{ currency: "CNY", micros: 1_500_000n }]);
  });

  it("has no entries: the ledger lists none and says why", async () => {
    const warnings: string[] = [];
    const client = deepseek(answer);
    const entries = await collect(
      ledger({ deepseek: client }, { onWarning: (_, message) => warnings.push(message) }),
    );
    expect(entries).toEqual([]);
    expect(warnings).toEqual([expect.stringContaining("DeepSeek reports balances only")]);
  });
});

describe("currencies are never mixed", () => {
  it("ledger totals: one grand total per currency", () => {
    const totals = new LedgerTotals();
    const entry = (currency: string, amount: string) =>
      ({ provider: "openrouter", kind: "usage", amount, currency }) as LedgerEntry;
    totals.add(entry("USD", "-1.50"));
    totals.add(entry("CNY", "-10.00"));
    totals.add(entry("USD", "-0.25"));
    expect(totals.byCurrency().map((row) => [row.currency, row.amount, row.entries])).toEqual([
      ["CNY", "-10.00", 1],
      ["USD", "-1.75", 2],
    ]);
    expect(totals.byProvider()).toHaveLength(2);
  });

  it("per-currency sums keep currencies apart", () => {
    const sums = new PerCurrency();
    sums.add("USD", 1n);
    sums.add("CNY", 2n);
    sums.add("USD", 3n);
    expect(sums.entries()).toEqual([
      ["CNY", 2n],
      ["USD", 4n],
    ]);
  });

  it("currency codes: three letters, upper-cased; anything else refused", () => {
    expect(currencyCode("usd")).toBe("USD");
    for (const bad of ["US", "USDT", "U$D", "", 840, null, undefined, { code: "USD" }]) {
      expect(() => currencyCode(bad)).toThrow(RecordError);
    }
  });
});
