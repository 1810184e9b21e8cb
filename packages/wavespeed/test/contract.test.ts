import { describeContract, prismUrl } from "@spendkit/mock/vitest";
import { describe, expect, it } from "vitest";
import { AuthenticationError, createWaveSpeedClient, InputError } from "../src/index.js";
import { operations } from "../src/operations.js";

// One case per operation of specs/wavespeed.yaml, run through the client against Prism. The
// client unwraps the {code, message, data} envelope, so each case sees `data` only.
describeContract({
  operations,
  createClient: createWaveSpeedClient,
  cases: {
    async searchBillings(client) {
      const page = await client.searchBillings({
        page: 1,
        page_size: 10,
        billing_type: "deduct",
        prediction_uuids: ["cb54bb552ff94e1ea6a5c2976fe1c0c1"],
        sort: "created_at ASC",
        start_time: "1759317210051",
        end_time: "1759317227408",
      });
      expect(page.total).toBe(1);
      expect(page.items[0]).toMatchObject({
        uuid: "d6b45aaa54fb4d12930acc36c9ae639f",
        billing_type: "deduct",
        price: 0.02,
      });
      expect(page.items[0]?.prediction?.model_uuid).toBe("bytedance/seedream-v3");
    },
    async listAccountBillings(client) {
      const billings = await client.listAccountBillings({
        page: 1,
        page_size: 50,
        type: "topup",
        start_date: "2024-01-01",
        end_date: "2024-01-31",
      });
      expect(billings.pagination.total).toBe(150);
      expect(billings.items.map((item) => [item.id, item.type, item.amount])).toEqual([
        ["txn_abc123", "topup", 100],
        ["txn_def456", "usage", -15.5],
      ]);
    },
    async getBalance(client) {
      expect(await client.getBalance()).toEqual({ balance: 84.5632 });
    },
    async getUsageStats(client) {
      const stats = await client.getUsageStats({
        start_time: "2025-10-01T00:00:00Z",
        end_time: "2025-10-04T00:00:00Z",
      });
      expect(stats.per_model_usage.map((usage) => usage.model_uuid)).toContain(
        "bytedance/seedream-v3",
      );
      expect(stats.daily_usage[0]?.date).toBe("2025-10-01");
      expect(typeof stats.summary.total_cost).toBe("number");
    },
  },
});

describe("the WaveSpeed mock enforces the spec, so the contract tests can fail", () => {
  const raw = () => createWaveSpeedClient({ apiKey: "sk-contract-test", baseUrl: prismUrl() }).raw;

  it.each([0, 101])("rejects page_size %i sent past the client", async (page_size) => {
    const { response } = await raw().POST("/api/v3/billings/search", {
      body: { page: 1, page_size },
    });
    expect(response.status).toBe(400);
    expect(response.headers.get("sl-violations")).toContain("page_size");
  });

  it("takes an RFC 3339 start_time, as WaveSpeed's CLI sends, and rejects a bare date", async () => {
    const accepted = await raw().POST("/api/v3/billings/search", {
      body: { page: 1, page_size: 10, start_time: "2025-10-01T00:00:00Z" },
    });
    expect(accepted.response.status).toBe(200);
    const { response } = await raw().POST("/api/v3/billings/search", {
      body: { page: 1, page_size: 10, start_time: "2025-10-01" },
    });
    expect(response.status).toBe(400);
    expect(response.headers.get("sl-violations")).toContain("start_time");
  });

  it("takes an RFC 3339 end_time too, and rejects a bare date there", async () => {
    const accepted = await raw().POST("/api/v3/billings/search", {
      body: { page: 1, page_size: 10, end_time: "2025-10-01T00:00:00Z" },
    });
    expect(accepted.response.status).toBe(200);
    const { response } = await raw().POST("/api/v3/billings/search", {
      body: { page: 1, page_size: 10, end_time: "2025-10-01" },
    });
    expect(response.status).toBe(400);
    expect(response.headers.get("sl-violations")).toContain("end_time");
  });

  it("sends a JavaScript Date for start_time and end_time as epoch milliseconds", async () => {
    const sent: unknown[] = [];
    const recording: typeof fetch = async (input, init) => {
      const request = new Request(input, init);
      sent.push(await request.clone().json());
      return fetch(request);
    };
    const client = createWaveSpeedClient({
      apiKey: "sk-contract-test",
      baseUrl: prismUrl(),
      fetch: recording,
    });
    const page = await client.searchBillings({
      page: 1,
      page_size: 10,
      start_time: new Date("2025-10-01T11:13:30.051Z"),
      end_time: new Date("2025-10-01T11:13:47.408Z"),
    } as never);
    expect(page.total).toBe(1);
    expect(sent).toEqual([
      { page: 1, page_size: 10, start_time: "1759317210051", end_time: "1759317227408" },
    ]);
  });

  it("answers a request without the bearer token with 401, which the client types", async () => {
    const unauthenticated: typeof fetch = (input, init) => {
      const request = new Request(input, init);
      request.headers.delete("authorization");
      return fetch(request);
    };
    const client = createWaveSpeedClient({
      apiKey: "sk-x",
      baseUrl: prismUrl(),
      fetch: unauthenticated,
    });
    const error = await client.getBalance().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ provider: "wavespeed", status: 401 });
  });

  it("searchBillings.all() pages through the mock with the window end pinned", async () => {
    const sent: unknown[] = [];
    const recording: typeof fetch = async (input, init) => {
      const request = new Request(input, init);
      sent.push(await request.clone().json());
      return fetch(request);
    };
    const client = createWaveSpeedClient({
      apiKey: "sk-contract-test",
      baseUrl: prismUrl(),
      fetch: recording,
    });
    const rows = [];
    for await (const row of client.searchBillings.all({ sort: "created_at ASC" }))
      rows.push(row.uuid);
    expect(rows).toEqual(["d6b45aaa54fb4d12930acc36c9ae639f"]);
    expect(sent[0]).toMatchObject({
      page: 1,
      page_size: 100,
      end_time: expect.stringMatching(/^\d{13}$/),
    });
  });
});

describe("WaveSpeed input the spec forbids never reaches the server", () => {
  it.each([
    [{ page: 1, page_size: 101 }, "page_size", "maximum"],
    [{ page: 0, page_size: 10 }, "page", "minimum"],
    [{ page_size: 10 }, "page", "required"],
    [{ page: 1, page_size: 10, sort: "price DESC" }, "sort", "enum"],
    [{ page: 1, page_size: 10, start_time: "2025-10-01" }, "start_time", "pattern"],
    [{ page: 1, page_size: 10, end_time: "2025-10-01" }, "end_time", "pattern"],
    [{ page: 1, page_size: 10, end_time: new Date("soon") }, "end_time", "format"],
    [
      { page: 1, page_size: 10, start_time: "2025-10-02T00:00:00Z", end_time: "1759276800000" },
      "start_time",
      "window",
    ],
    [
      { page: 1, page_size: 10, start_time: "1759317227408", end_time: "1759317210051" },
      "start_time",
      "window",
    ],
  ])("searchBillings(%j) → InputError on %s (%s)", async (input, field, rule) => {
    let requests = 0;
    const counting: typeof fetch = (request, init) => {
      requests++;
      return fetch(request, init);
    };
    const client = createWaveSpeedClient({
      apiKey: "sk-contract-test",
      baseUrl: prismUrl(),
      fetch: counting,
    });
    const error = await client.searchBillings(input as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error).toMatchObject({ field, rule });
    expect(requests).toBe(0);
  });
});
