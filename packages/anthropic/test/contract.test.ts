import { describeContract, prismUrl } from "@spendkit/mock/vitest";
import { describe, expect, it } from "vitest";
import { createAnthropicClient } from "../src/index.js";
import { operations } from "../src/operations.js";

const window = { starting_at: "2025-08-01T00:00:00Z", ending_at: "2025-08-08T00:00:00Z" };

// One case per operation of specs/anthropic.yaml, run through the client against the Prism mock:
// the x-api-key admin key and the anthropic-version header on every request, RFC 3339 windows,
// bracketed arrays (group_by[]=…), the cursor walk. Prism refuses a request without the version
// header or the key, so each case proves the client sends them as the spec says.
describeContract({
  operations,
  createClient: createAnthropicClient,
  cases: {
    async getCostReport(client) {
      const buckets = [];
      for await (const bucket of client.getCostReport.all({
        ...window,
        bucket_width: "1d",
        group_by: ["workspace_id", "description"],
      })) {
        buckets.push(bucket);
      }
      expect(buckets.map((bucket) => bucket.starting_at)).toEqual([
        "2025-08-01T00:00:00Z",
        "2025-08-02T00:00:00Z",
      ]);
      // Cents, as a decimal string: the client hands it over untouched.
      expect(buckets[0]?.results.map((result) => result.amount)).toEqual(["123.78912", "2500"]);
      expect(buckets[0]?.results[1]?.workspace_id).toBeNull();
    },
    async getMessagesUsageReport(client) {
      const page = await client.getMessagesUsageReport({
        ...window,
        bucket_width: "1d",
        group_by: ["model", "workspace_id"],
        models: ["claude-sonnet-4-20250514"],
        service_tiers: ["standard", "batch"],
        limit: 31,
      });
      expect(page.has_more).toBe(false);
      expect(page.data[0]?.results[0]).toMatchObject({
        model: "claude-sonnet-4-20250514",
        cache_creation: { ephemeral_1h_input_tokens: 1000, ephemeral_5m_input_tokens: 500 },
      });
    },
  },
});

describe("the mock enforces the spec, so the contract tests can fail", () => {
  const url = (query: string) => `${prismUrl()}/v1/organizations/cost_report?${query}`;
  const key = { "x-api-key": "sk-ant-admin01-contract" };

  it("refuses a request without the anthropic-version header", async () => {
    const response = await fetch(url("starting_at=2025-08-01T00:00:00Z"), { headers: key });
    expect(response.ok).toBe(false);
    expect(response.headers.get("sl-violations")).toContain("anthropic-version");
  });

  it("the client writes arrays with brackets (the mock accepts any unknown parameter, so the wire is read)", async () => {
    const urls: string[] = [];
    const client = createAnthropicClient({
      apiKey: "sk-ant-admin01-contract",
      baseUrl: prismUrl(),
      fetch: (input, init) => {
        urls.push(input instanceof Request ? input.url : String(input));
        return fetch(input, init);
      },
    });
    await client.getCostReport({
      starting_at: "2025-08-01T00:00:00Z",
      group_by: ["workspace_id", "description"],
    });
    const query = new URL(urls[0]!).searchParams;
    expect(query.getAll("group_by[]")).toEqual(["workspace_id", "description"]);
    expect(query.has("group_by")).toBe(false);
  });

  it("refuses a request without the admin key", async () => {
    const response = await fetch(url("starting_at=2025-08-01T00:00:00Z"), {
      headers: { "anthropic-version": "2023-06-01" },
    });
    expect(response.status).toBe(401);
  });

  it("the client sends both headers: the same request through it passes", async () => {
    const client = createAnthropicClient({
      apiKey: "sk-ant-admin01-contract",
      baseUrl: prismUrl(),
    });
    await expect(
      client.getCostReport({ starting_at: "2025-08-01T00:00:00Z" }),
    ).resolves.toHaveProperty("data");
  });
});
