import { describeContract, prismUrl } from "@spendkit/mock/vitest";
import { describe, expect, it } from "vitest";
import { createOpenAIClient } from "../src/index.js";
import { operations } from "../src/operations.js";

const START = 1_730_419_200; // 2024-11-01T00:00:00Z, the examples' first bucket
const window = { start_time: START, end_time: START + 7 * 86_400 };

// One case per operation of specs/openai.yaml, run through the client against the Prism mock
// (bearer admin key, Unix-second windows, repeated array parameters, the cursor walk).
describeContract({
  operations,
  createClient: createOpenAIClient,
  cases: {
    async getCosts(client) {
      const buckets = [];
      for await (const bucket of client.getCosts.all({
        ...window,
        bucket_width: "1d",
        group_by: ["project_id", "api_key_id", "line_item"],
        project_ids: ["proj_abc", "proj_xyz"],
      })) {
        buckets.push(bucket);
      }
      expect(buckets.map((bucket) => bucket.start_time)).toEqual([START, START + 86_400]);
      expect(buckets[0]?.results[1]?.amount).toEqual({ value: "12.50", currency: "usd" });
      expect(buckets[0]?.results[0]).toMatchObject({
        project_id: "proj_abc",
        api_key_id: "key_abc",
      });
    },
    async getCompletionsUsage(client) {
      const page = await client.getCompletionsUsage({
        ...window,
        bucket_width: "1d",
        group_by: ["model"],
        limit: 31,
        batch: false,
      });
      expect(page.has_more).toBe(false);
      expect(page.data[0]?.results[0]).toMatchObject({
        model: "gpt-4o-2024-08-06",
        output_tokens: 1000,
      });
    },
    async getEmbeddingsUsage(client) {
      const page = await client.getEmbeddingsUsage({ ...window, group_by: ["model"] });
      expect(page.data[0]?.results[0]?.input_tokens).toBe(16);
    },
    async getModerationsUsage(client) {
      const page = await client.getModerationsUsage({
        ...window,
        models: ["omni-moderation-latest"],
      });
      expect(page.data[0]?.results[0]?.num_model_requests).toBe(2);
    },
    async getImagesUsage(client) {
      const page = await client.getImagesUsage({ ...window, bucket_width: "1h" });
      expect(page.data[0]?.results[0]?.images).toBe(2);
    },
    async getAudioSpeechesUsage(client) {
      const page = await client.getAudioSpeechesUsage(window);
      expect(page.data[0]?.results[0]?.characters).toBe(45);
    },
    async getAudioTranscriptionsUsage(client) {
      const page = await client.getAudioTranscriptionsUsage(window);
      expect(page.data[0]?.results[0]?.seconds).toBe(20);
    },
    async getVectorStoresUsage(client) {
      const page = await client.getVectorStoresUsage(window);
      expect(page.data[0]?.results[0]?.usage_bytes).toBe(1024);
    },
    async getCodeInterpreterSessionsUsage(client) {
      const page = await client.getCodeInterpreterSessionsUsage(window);
      expect(page.data[0]?.results[0]?.num_sessions).toBe(1);
    },
    async getFileSearchCallsUsage(client) {
      const page = await client.getFileSearchCallsUsage(window);
      expect(page.data[0]?.results[0]?.num_requests).toBe(2);
    },
    async getWebSearchCallsUsage(client) {
      const page = await client.getWebSearchCallsUsage(window);
      expect(page.data[0]?.results[0]?.num_requests).toBe(2);
    },
  },
});

describe("the mock enforces the spec, so the contract tests can fail", () => {
  it("rejects a limit past the costs endpoint's 180 buckets sent past the client", async () => {
    const client = createOpenAIClient({ apiKey: "sk-admin-contract", baseUrl: prismUrl() });
    const { response } = await client.raw.GET("/v1/organization/costs", {
      params: { query: { start_time: START, limit: 181 } },
    });
    expect(response.ok).toBe(false);
    expect(response.headers.get("sl-violations")).toContain("limit");
  });

  it("rejects a request without the admin key", async () => {
    const response = await fetch(`${prismUrl()}/v1/organization/costs?start_time=${START}`);
    expect(response.status).toBe(401);
  });
});
