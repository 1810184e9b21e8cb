import { startFixture } from "@spendkit/mock";
import { describeContract, prismUrl } from "@spendkit/mock/vitest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createXaiClient, InputError } from "../src/index.js";
import { operations } from "../src/operations.js";

const TEAM = "3fa85f64-5717-4562-b3fc-2c963f66afa6";
const BILLING_INFO = {
  name: "Example Labs Inc.",
  email: "billing@example.com",
  taxIdType: "us_ein",
  taxNumber: "12-3456789",
  address: {
    line1: "500 Market Street",
    city: "San Francisco",
    country: "US",
    postalCode: "94105",
    state: "CA",
  },
};

// One case per operation of specs/xai.yaml, including the writes: Prism is a mock, nothing is
// charged. The suite's clients get no teamId, so the first call discovers it through key
// validation.
describeContract({
  operations,
  createClient: createXaiClient,
  cases: {
    async validateManagementKey(client) {
      const key = await client.validateManagementKey();
      expect(key).toMatchObject({ teamId: TEAM, scope: "SCOPE_TEAM", name: "billing-exporter" });
    },
    async getBillingInfo(client) {
      const { billingInfo } = await client.getBillingInfo({ team_id: TEAM });
      expect(billingInfo?.address?.country).toBe("US");
    },
    async setBillingInfo(client) {
      expect(await client.setBillingInfo({ team_id: TEAM, billingInfo: BILLING_INFO })).toEqual({});
    },
    async listInvoices(client) {
      const { invoices = [] } = await client.listInvoices({
        "billingCycle.year": 2026,
        "billingCycle.month": 4,
      });
      expect(invoices[0]).toMatchObject({
        invoiceNumber: "XAI-2026-04-0187",
        invoiceStatus: "PAID",
      });
      expect(invoices.some((invoice) => "monthly" in invoice)).toBe(true);
      const byIds = await client.listInvoices({
        "invoiceIds.invoiceIds": ["9b2f4c1a-5e6d-4f70-8a91-b2c3d4e5f601", "x"],
      });
      expect(byIds.invoices?.length).toBeGreaterThan(0);
    },
    async listPaymentMethods(client) {
      const { paymentMethods = [] } = await client.listPaymentMethods();
      expect(paymentMethods[0]?.cardDetails).toMatchObject({ brand: "visa", last4: "4242" });
    },
    async setDefaultPaymentMethod(client) {
      expect(
        await client.setDefaultPaymentMethod({ paymentMethodId: "pm_1PqR2sT3uV4wX5yZ6aB7cD8e" }),
      ).toEqual({});
    },
    async previewPostpaidInvoice(client) {
      const preview = await client.previewPostpaidInvoice();
      expect(preview.coreInvoice?.prepaidCredits).toEqual({ val: "-4500" });
      expect(preview.effectiveSpendingLimit).toMatch(/^-?\d+$/);
    },
    async getSpendingLimits(client) {
      const { spendingLimits } = await client.getSpendingLimits();
      expect(spendingLimits?.effectiveSl).toEqual({ val: "10000" });
    },
    async setSpendingLimits(client) {
      const result = await client.setSpendingLimits({ desiredSoftSpendingLimit: { val: "20000" } });
      expect(result.thisBpSoftSpendingLimit).toEqual({ val: "20000" });
    },
    async getPrepaidBalance(client) {
      const balance = await client.getPrepaidBalance();
      expect(balance.total?.val).toMatch(/^-\d+$/);
      expect(balance.changes?.map((change) => change.changeOrigin)).toEqual(
        expect.arrayContaining(["PURCHASE", "SPEND", "REFUND", "AUTO_PURCHASE", "MANUAL"]),
      );
    },
    async topUpPrepaidCredit(client) {
      const { change } = await client.topUpPrepaidCredit({ amount: { val: "2500" } });
      expect(change).toMatchObject({ changeOrigin: "PURCHASE", amount: { val: "-2500" } });
    },
    async getUsage(client) {
      const usage = await client.getUsage({
        analyticsRequest: {
          timeRange: {
            startTime: "2026-05-01 00:00:00",
            endTime: "2026-05-04 00:00:00",
            timezone: "Etc/GMT",
          },
          timeUnit: "TIME_UNIT_DAY",
          values: [{ name: "usd", aggregation: "AGGREGATION_SUM" }],
          groupBy: ["description"],
          filters: [],
        },
      });
      expect(usage.timeSeries?.[0]?.dataPoints?.[0]?.values).toEqual([0.7597]);
      expect(usage.limitReached).toBe(false);
    },
  },
});

describe("the team id", () => {
  const recording = () => {
    const paths: string[] = [];
    const fetchSpy: typeof fetch = (input, init) => {
      paths.push(new URL(new Request(input, init).url).pathname);
      return fetch(input, init);
    };
    return { paths, fetchSpy };
  };

  it("is discovered once through key validation and cached", async () => {
    const { paths, fetchSpy } = recording();
    const client = createXaiClient({
      apiKey: "xai-mgmt-test",
      baseUrl: prismUrl(),
      fetch: fetchSpy,
    });
    await client.getSpendingLimits();
    await client.getPrepaidBalance();
    expect(paths).toEqual([
      "/auth/management-keys/validation",
      `/v1/billing/teams/${TEAM}/postpaid/spending-limits`,
      `/v1/billing/teams/${TEAM}/prepaid/balance`,
    ]);
  });

  it("is taken from the teamId option without a validation call", async () => {
    const { paths, fetchSpy } = recording();
    const client = createXaiClient({
      apiKey: "xai-mgmt-test",
      baseUrl: prismUrl(),
      fetch: fetchSpy,
      teamId: "team-7",
    });
    await client.getBillingInfo();
    expect(paths).toEqual(["/v1/billing/teams/team-7/billing-info"]);
  });
});

describe("a key of no team", () => {
  // Proto3 JSON leaves out an empty string, so a key scoped to no team answers without teamId
  // (or, from a lenient encoder, with "" or null): discovery must fail and say what to do.
  let fixture: Awaited<ReturnType<typeof startFixture>>;
  beforeAll(async () => {
    fixture = await startFixture();
  });
  afterAll(() => fixture.stop());

  it.each([
    ["absent", { apiKeyId: "7c9e6679", scope: "SCOPE_USER", scopeId: "u-1", name: "personal" }],
    ["empty", { apiKeyId: "7c9e6679", teamId: "", scope: "SCOPE_USER" }],
    ["null", { apiKeyId: "7c9e6679", teamId: null, scope: "SCOPE_USER" }],
  ])(
    "makes team-id discovery fail with an InputError asking for teamId (teamId %s)",
    async (_, answer) => {
      fixture.reset();
      fixture.route("GET /auth/management-keys/validation", { json: answer });
      fixture.route("GET /v1/billing/teams/:team/prepaid/balance", { json: { changes: [] } });
      const client = createXaiClient({
        apiKey: "xai-mgmt-test",
        baseUrl: fixture.url,
        maxRetries: 0,
      });
      expect(await client.validateManagementKey()).toEqual(answer);
      const error = await client.getPrepaidBalance().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InputError);
      expect(error).toMatchObject({ field: "teamId", rule: "required" });
      expect((error as Error).message).toContain("pass the teamId option");
      expect(fixture.count("GET /v1/billing/teams/:team/prepaid/balance")).toBe(0);
    },
  );
});

describe("the xAI mock enforces the spec, so the contract tests can fail", () => {
  const raw = () =>
    createXaiClient({ apiKey: "xai-mgmt-test", baseUrl: prismUrl(), teamId: TEAM }).raw;
  const params = { path: { team_id: TEAM } };

  it("rejects a malformed {val} sent past the client", async () => {
    const { response } = await raw().POST("/v1/billing/teams/{team_id}/postpaid/spending-limits", {
      params,
      body: { desiredSoftSpendingLimit: { val: 20000 as unknown as string } },
    });
    expect(response.status).toBe(400);
    expect(response.headers.get("sl-violations")).toContain("val");
  });

  it("rejects month 13", async () => {
    const { response } = await raw().GET("/v1/billing/teams/{team_id}/invoices", {
      params: { ...params, query: { "billingCycle.month": 13 } },
    });
    expect(response.headers.get("sl-violations")).toMatch(/billingcycle\.month/i);
  });

  it("answers a request without the bearer token with 401", async () => {
    const response = await fetch(`${prismUrl()}/v1/billing/teams/${TEAM}/prepaid/balance`);
    expect(response.status).toBe(401);
  });
});

describe("xAI input the spec forbids never reaches the server", () => {
  it.each([
    [
      "setSpendingLimits",
      { desiredSoftSpendingLimit: { val: 20000 } },
      "desiredSoftSpendingLimit.val",
      "type",
    ],
    [
      "setSpendingLimits",
      { desiredSoftSpendingLimit: { val: "20.00" } },
      "desiredSoftSpendingLimit.val",
      "pattern",
    ],
    [
      "setSpendingLimits",
      { desiredSoftSpendingLimit: {} },
      "desiredSoftSpendingLimit.val",
      "required",
    ],
    ["topUpPrepaidCredit", { amount: { val: "0" } }, "amount.val", "pattern"],
    ["topUpPrepaidCredit", {}, "amount", "required"],
    ["listInvoices", { "billingCycle.month": 13 }, "billingCycle.month", "maximum"],
    ["setDefaultPaymentMethod", { paymentMethodId: 7 }, "paymentMethodId", "type"],
  ])("%s(%j) → InputError on %s (%s)", async (operation, input, field, rule) => {
    let requests = 0;
    const counting: typeof fetch = (request, init) => {
      requests++;
      return fetch(request, init);
    };
    const client = createXaiClient({
      apiKey: "xai-mgmt-test",
      baseUrl: prismUrl(),
      fetch: counting,
      teamId: TEAM,
    });
    const method = client[operation as "setSpendingLimits"] as (input: unknown) => Promise<unknown>;
    const error = await method(input).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error).toMatchObject({ field, rule });
    expect(requests).toBe(0);
  });
});
