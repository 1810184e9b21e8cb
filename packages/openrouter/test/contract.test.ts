import { describeContract, prismUrl } from "@spendkit/mock/vitest";
import { describe, expect, it } from "vitest";
import { createOpenRouterClient } from "../src/index.js";
import { operations } from "../src/operations.js";

// One case per operation of specs/openrouter.yaml, run through the client against the Prism mock
// (bearer management key, dollars as JSON numbers, the activity's one-day filter).
describeContract({
  operations,
  createClient: createOpenRouterClient,
  cases: {
    async getCredits(client) {
      const { data } = await client.getCredits();
      expect(data).toEqual({ total_credits: 100.5, total_usage: 25.75 });
    },
    async getKey(client) {
      const { data } = await client.getKey();
      expect(data).toMatchObject({ limit: 100, limit_remaining: 74.5, limit_reset: "monthly" });
      expect(data.expires_at).toBeNull();
    },
    async getActivity(client) {
      const { data } = await client.getActivity({ date: "2025-08-24", group_by: "workspace" });
      expect(data).toHaveLength(1);
      expect(data[0]).toMatchObject({
        date: "2025-08-24",
        model: "openai/gpt-4.1",
        usage: 0.015,
        requests: 5,
        reasoning_tokens: 25,
      });
    },
  },
});

describe("the mock enforces the spec, so the contract tests can fail", () => {
  it("rejects an activity date that is not a date, sent past the client", async () => {
    const client = createOpenRouterClient({ apiKey: "sk-or-contract", baseUrl: prismUrl() });
    const { response } = await client.raw.GET("/api/v1/activity", {
      params: { query: { date: "24/08/2025" } },
    });
    expect(response.ok).toBe(false);
    expect(response.headers.get("sl-violations")).toContain("date");
  });

  it("rejects a request without the management key", async () => {
    const response = await fetch(`${prismUrl()}/api/v1/credits`);
    expect(response.status).toBe(401);
  });
});
