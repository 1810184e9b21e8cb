// The cost-report adapters (OpenAI costs, Anthropic cost report): a bucket's results become
// usage entries with stable ids and attribution, amounts in the unit each spec declares, and
// what cannot be booked is a warning, never a guess.
import { describe, expect, it } from "vitest";
import { costEntry as anthropicEntry, DEFAULT_WORKSPACE } from "../src/adapters/anthropic.js";
import { modelOf, costEntry as openaiEntry } from "../src/adapters/openai.js";
import { bucketId } from "../src/buckets.js";
import {
  createAnthropicClient,
  createOpenAIClient,
  type LedgerEntry,
  ledger,
} from "../src/index.js";
import { RecordError } from "../src/records.js";
import { collect, fakeFetch } from "./helpers.js";

const DAY = 86_400;
const START = 1_730_419_200; // 2024-11-01T00:00:00Z

const openaiResult = (fields: Record<string, unknown> = {}) =>
  ({
    object: "organization.costs.result",
    amount: { value: 0.06, currency: "usd" },
    line_item: "gpt-4o-2024-08-06, input",
    project_id: "proj_abc",
    api_key_id: "key_abc",
    quantity: 10_000,
    quantity_unit: "tokens",
    ...fields,
  }) as Parameters<typeof openaiEntry>[1];

const anthropicItem = (fields: Record<string, unknown> = {}) =>
  ({
    amount: "123.78912",
    currency: "USD",
    cost_type: "tokens",
    description: "Claude Sonnet 4 Usage - Input Tokens",
    model: "claude-sonnet-4-20250514",
    service_tier: "standard",
    token_type: "uncached_input_tokens",
    context_window: "0-200k",
    inference_geo: "global",
    workspace_id: "wrkspc_01",
    ...fields,
  }) as Parameters<typeof anthropicEntry>[1];

describe("OpenAI cost results", () => {
  it("become usage entries in dollars, negated, with project, key and model", () => {
    expect(openaiEntry({ start_time: START }, openaiResult())).toEqual({
      provider: "openai",
      id: "2024-11-01T00:00:00.000Z|proj_abc|key_abc|gpt-4o-2024-08-06, input",
      time: "2024-11-01T00:00:00.000Z",
      kind: "usage",
      amount: "-0.06",
      currency: "USD",
      description: "gpt-4o-2024-08-06, input",
      model: "gpt-4o-2024-08-06",
      project: "proj_abc",
      apiKey: "key_abc",
      raw: openaiResult(),
    });
  });

  it("take amount.value as a decimal string too (sent live though the spec says number)", () => {
    const entry = openaiEntry(
      { start_time: START },
      openaiResult({ amount: { value: "12.50", currency: "USD" } }),
    );
    expect(entry?.amount).toBe("-12.50");
  });

  it("refuse what is no amount or no currency code, and book nothing for no amount at all", () => {
    for (const value of ["1e2", " 5", "", Number.NaN, { v: 1 }]) {
      expect(() =>
        openaiEntry({ start_time: START }, openaiResult({ amount: { value, currency: "usd" } })),
      ).toThrow(RecordError);
    }
    for (const currency of ["euro", "€", "", 978, null]) {
      expect(() =>
        openaiEntry({ start_time: START }, openaiResult({ amount: { value: 1, currency } })),
      ).toThrow(/is not an ISO 4217 code/);
    }
    // Another currency is booked in it, never added to dollars (totals are per currency).
    expect(
      openaiEntry({ start_time: START }, openaiResult({ amount: { value: 1, currency: "eur" } }))
        ?.currency,
    ).toBe("EUR");
    expect(openaiEntry({ start_time: START }, openaiResult({ amount: undefined }))).toBeUndefined();
    expect(() => openaiEntry({ start_time: -1 }, openaiResult())).toThrow(/Unix seconds/);
  });

  it("read the model from line items that name one, and only those", () => {
    expect(modelOf("gpt-4o-2024-08-06, input")).toBe("gpt-4o-2024-08-06");
    expect(modelOf("o1-mini, cached input")).toBe("o1-mini");
    expect(modelOf("Text tokens")).toBeUndefined();
    expect(modelOf("web search")).toBeUndefined();
  });
});

describe("Anthropic cost results", () => {
  it("read amounts in cents: 123.78912 cents is 1.237891 dollars, not 123.78", () => {
    const entry = anthropicEntry({ starting_at: "2025-08-01T00:00:00Z" }, anthropicItem());
    expect(entry.amount).toBe("-1.237891");
    expect(entry).toMatchObject({
      provider: "anthropic",
      kind: "usage",
      time: "2025-08-01T00:00:00.000Z",
      project: "wrkspc_01",
      model: "claude-sonnet-4-20250514",
      description: "Claude Sonnet 4 Usage - Input Tokens",
    });
    expect(entry).not.toHaveProperty("apiKey");
  });

  it("attribute a null workspace to the default workspace", () => {
    const entry = anthropicEntry(
      { starting_at: "2025-08-01T00:00:00Z" },
      anthropicItem({ workspace_id: null }),
    );
    expect(entry.project).toBe(DEFAULT_WORKSPACE);
  });

  it.each(["1e2", " 5", "5 ", "1".repeat(40), 123, null])("refuse the amount %j", (amount) => {
    expect(() =>
      anthropicEntry({ starting_at: "2025-08-01T00:00:00Z" }, anthropicItem({ amount })),
    ).toThrow(RecordError);
  });

  it("read -0 as zero", () => {
    expect(
      anthropicEntry({ starting_at: "2025-08-01T00:00:00Z" }, anthropicItem({ amount: "-0" }))
        .amount,
    ).toBe("0.00");
  });

  it("give results that differ in any grouping key different ids, and the same result the same id", () => {
    const bucket = { starting_at: "2025-08-01T00:00:00Z" };
    const ids = [
      anthropicItem(),
      anthropicItem({ token_type: "output_tokens" }),
      anthropicItem({ inference_geo: "us" }),
      anthropicItem({ workspace_id: null }),
    ].map((item) => anthropicEntry(bucket, item).id);
    expect(new Set(ids).size).toBe(4);
    expect(anthropicEntry(bucket, anthropicItem()).id).toBe(ids[0]);
  });
});

describe("answers the specs do not list yet", () => {
  it("books a result with enum values the spec does not know, and reports no drift for them", async () => {
    const drift: unknown[] = [];
    const fetch = fakeFetch(() => ({
      json: {
        data: [
          {
            starting_at: "2025-08-01T00:00:00Z",
            ending_at: "2025-08-02T00:00:00Z",
            results: [
              anthropicItem({
                cost_type: "voice_minutes",
                service_tier: "flex_discount",
                token_type: "audio_input_tokens",
                context_window: "1M-2M",
                inference_geo: "eu",
              }),
            ],
          },
        ],
        has_more: false,
        next_page: null,
      },
    }));
    const client = createAnthropicClient({
      apiKey: "sk-ant-admin01-x",
      baseUrl: "http://anthropic.test",
      fetch,
      onDrift: (report) => drift.push(report),
    });
    const entries = await collect(
      ledger({ anthropic: client }, { since: "2025-08-01", until: "2025-08-03" }),
    );
    expect(entries.map((e) => e.amount)).toEqual(["-1.237891"]);
    expect(drift).toEqual([]);
  });
});

describe("bucket ids", () => {
  it("hash keys that would make an id too long, stably", () => {
    const long = "x".repeat(300);
    const id = bucketId("2025-08-01T00:00:00.000Z", ["a", long]);
    expect(id.length).toBeLessThanOrEqual(256);
    expect(id).toBe(bucketId("2025-08-01T00:00:00.000Z", ["a", long]));
    expect(id).not.toBe(bucketId("2025-08-01T00:00:00.000Z", ["b", long]));
  });
});

describe("the ledger over cost reports", () => {
  it("walks the cursor pages of both reports and books each result once, oldest first", async () => {
    const openaiFetch = fakeFetch(({ url }) => {
      const page = url.searchParams.get("page");
      expect(url.searchParams.getAll("group_by")).toEqual([
        "project_id",
        "api_key_id",
        "line_item",
      ]);
      return {
        json: page
          ? {
              object: "page",
              data: [
                {
                  object: "bucket",
                  start_time: START + DAY,
                  end_time: START + 2 * DAY,
                  results: [openaiResult({ amount: { value: 2, currency: "usd" } })],
                },
              ],
              has_more: false,
              next_page: null,
            }
          : {
              object: "page",
              data: [
                {
                  object: "bucket",
                  start_time: START,
                  end_time: START + DAY,
                  results: [openaiResult()],
                },
              ],
              has_more: true,
              next_page: "page_2",
            },
      };
    });
    const anthropicFetch = fakeFetch(({ url }) => {
      expect(url.searchParams.getAll("group_by[]")).toEqual(["workspace_id", "description"]);
      return {
        json: {
          data: [
            {
              starting_at: "2024-11-01T12:00:00Z",
              ending_at: "2024-11-02T00:00:00Z",
              results: [anthropicItem({ amount: "250" })],
            },
            { starting_at: "2024-11-02T00:00:00Z", ending_at: "2024-11-03T00:00:00Z", results: [] },
          ],
          has_more: false,
          next_page: null,
        },
      };
    });
    const warnings: string[] = [];
    const entries: LedgerEntry[] = await collect(
      ledger(
        {
          openai: createOpenAIClient({
            apiKey: "sk-admin-x",
            baseUrl: "http://openai.test",
            fetch: openaiFetch,
          }),
          anthropic: createAnthropicClient({
            apiKey: "sk-ant-admin01-x",
            baseUrl: "http://anthropic.test",
            fetch: anthropicFetch,
          }),
        },
        {
          since: "2024-11-01",
          until: "2024-11-05",
          onWarning: (_provider, message) => warnings.push(message),
        },
      ),
    );
    expect(entries.map((e) => [e.provider, e.time, e.amount])).toEqual([
      ["openai", "2024-11-01T00:00:00.000Z", "-0.06"],
      ["anthropic", "2024-11-01T12:00:00.000Z", "-2.50"],
      ["openai", "2024-11-02T00:00:00.000Z", "-2.00"],
    ]);
    expect(warnings).toEqual([]);
    expect(openaiFetch.calls).toHaveLength(2);
    expect(openaiFetch.calls[0]?.url.searchParams.get("start_time")).toBe(String(START));
  });
});
