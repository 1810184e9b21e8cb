import { describeContract, prismUrl } from "@spendkit/mock/vitest";
import { describe, expect, it } from "vitest";
import { AuthenticationError, createByteSpikeClient, InputError } from "../src/index.js";
import { operations } from "../src/operations.js";

// One case per operation of specs/bytespike.yaml, run through the client against Prism.
describeContract({
  operations,
  createClient: createByteSpikeClient,
  cases: {
    async listTransactions(client) {
      const page = await client.listTransactions({
        page: 1,
        page_size: 50,
        kind: "topup",
        since: "2026-05-01T00:00:00Z",
        until: "2026-06-01T00:00:00Z",
      });
      expect(page.total).toBe(47);
      expect(page.items[0]).toMatchObject({
        id: 901234,
        kind: "topup",
        amount_usd: 50,
        balance_after_usd: 81.4,
      });
      expect(page.items[1]?.source).toEqual({ actor: "ops@bytespike.ai" });
    },
    async getUsage(client) {
      const usage = await client.getUsage({ group_by: "day,model", since: "2026-05-01T00:00:00Z" });
      expect(usage.totals.call_count).toBe(509);
      expect(usage.buckets.map((bucket) => bucket.model)).toEqual([
        "doubao-seed-1.6",
        "deepseek-v3",
      ]);
    },
    async getAccount(client) {
      const account = await client.getAccount();
      expect(account.balance.available_usd).toBe(81.4);
      expect(account.allowed_models[1]?.quota_cap_usd).toBeNull();
      expect(account.org?.role).toBe("admin");
    },
  },
});

describe("the mock enforces the spec, so the contract tests can fail", () => {
  it("rejects a page_size outside 1..200 sent past the client", async () => {
    const client = createByteSpikeClient({ apiKey: "sk-contract-test", baseUrl: prismUrl() });
    const { response } = await client.raw.GET("/api/v1/me/billing/transactions", {
      params: { query: { page_size: 0 } },
    });
    expect(response.status).toBe(400);
    expect(response.headers.get("sl-violations")).toContain("page_size");
  });

  it("rejects an unknown kind", async () => {
    const client = createByteSpikeClient({ apiKey: "sk-contract-test", baseUrl: prismUrl() });
    const { response } = await client.raw.GET("/api/v1/me/billing/transactions", {
      params: { query: { kind: "bonus" as "topup" } },
    });
    expect(response.headers.get("sl-violations")).toContain("kind");
  });

  it("answers a request without the bearer token with 401, which the client types", async () => {
    const unauthenticated: typeof fetch = (input, init) => {
      const request = new Request(input, init);
      request.headers.delete("authorization");
      return fetch(request);
    };
    const client = createByteSpikeClient({
      apiKey: "sk-x",
      baseUrl: prismUrl(),
      fetch: unauthenticated,
    });
    const error = await client.getAccount().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ provider: "bytespike", status: 401 });
  });

  it(".all() pages through the mock", async () => {
    const client = createByteSpikeClient({ apiKey: "sk-contract-test", baseUrl: prismUrl() });
    const rows = [];
    for await (const row of client.listTransactions.all({ kind: "topup" })) rows.push(row);
    // The mock's static example has 2 rows for a page of 200: a short page ends the iteration.
    expect(rows.map((row) => row.id)).toEqual([901234, 901188]);
  });
});

describe("input the spec forbids never reaches the server", () => {
  const counting = () => {
    const seen: string[] = [];
    const fetchSpy: typeof fetch = (input, init) => {
      seen.push(String(input instanceof Request ? input.url : input));
      return fetch(input, init);
    };
    const client = createByteSpikeClient({
      apiKey: "sk-contract-test",
      baseUrl: prismUrl(),
      fetch: fetchSpy,
    });
    return { client, seen };
  };

  it.each([
    [{ page_size: 0 }, "page_size", "minimum"],
    [{ page_size: 201 }, "page_size", "maximum"],
    [{ page: 0 }, "page", "minimum"],
    [{ page: 1.5 }, "page", "type"],
    [{ kind: "bonus" }, "kind", "enum"],
    [{ since: "yesterday" }, "since", "format"],
    [{ since: "2026-06-01T00:00:00Z", until: "2026-05-01T00:00:00Z" }, "since", "window"],
    [{ pagesize: 10 }, "pagesize", "unknown"],
  ])("listTransactions(%j) → InputError on %s (%s)", async (input, field, rule) => {
    const { client, seen } = counting();
    const error = await client.listTransactions(input as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error).toMatchObject({ field, rule });
    expect(seen).toEqual([]);
  });
});
