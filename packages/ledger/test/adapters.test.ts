import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { changeEntries, invoiceEntries } from "../src/adapters/xai.js";
import {
  adapters,
  createByteSpikeClient,
  createWaveSpeedClient,
  createXaiClient,
  type LedgerEntry,
  parseDecimal,
} from "../src/index.js";
import { flatten } from "../src/merge.js";
import { collect, fakeFetch } from "./helpers.js";

/** An adapter's batches, flattened. */
const all = (batches: AsyncIterable<readonly LedgerEntry[]>) => collect(flatten(batches));

const window = { since: new Date("2020-01-01T00:00:00Z"), until: new Date("2026-11-01T00:00:00Z") };

function context(warnings: string[] = []) {
  return {
    window,
    signal: new AbortController().signal,
    warn: (message: string) => warnings.push(message),
  };
}

const pick = (entries: LedgerEntry[]) =>
  entries.map(({ id, time, kind, amount, balanceAfter }) => ({
    id,
    time,
    kind,
    amount,
    balanceAfter,
  }));

// ---------------------------------------------------------------------------------------------
// ByteSpike
// ---------------------------------------------------------------------------------------------

/** The seed's two rows (GET /api/v1/me/billing/transactions, newest first). */
const BYTESPIKE_SEED = [
  {
    id: 901234,
    created_at: "2026-05-21T14:08:11Z",
    kind: "topup",
    amount_usd: 50.0,
    balance_after_usd: 81.4,
    source: { provider: "stripe", receipt_id: "ch_3PYj...mock-49", method: "card_visa_4242" },
    note: null,
  },
  {
    id: 901188,
    created_at: "2026-05-15T08:14:02Z",
    kind: "admin_credit",
    amount_usd: 5.0,
    balance_after_usd: 31.4,
    source: { actor: "ops@bytespike.ai" },
    note: "Goodwill credit — failed Doubao call burst, ticket #312",
  },
];

/** A ByteSpike server over `rows` (any order): newest first, `since`/`until` honoured. */
function bytespikeServer(rows: any[]) {
  let inFlight = 0;
  let maxInFlight = 0;
  const fetch = fakeFetch(async ({ url }) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    await new Promise((resolve) => setTimeout(resolve, 1));
    inFlight--;
    const q = url.searchParams;
    const page = Number(q.get("page") ?? 1);
    const size = Number(q.get("page_size") ?? 50);
    const since = q.get("since");
    const until = q.get("until");
    const matching = rows
      .filter((row) => (!since || row.created_at >= since) && (!until || row.created_at < until))
      .sort((a, b) =>
        a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : b.id - a.id,
      );
    return {
      json: {
        items: matching.slice((page - 1) * size, page * size),
        total: matching.length,
        page,
        page_size: size,
      },
    };
  });
  return { fetch, maxInFlight: () => maxInFlight };
}

const bytespikeClient = (fetch: typeof globalThis.fetch) =>
  createByteSpikeClient({
    apiKey: "sk-test",
    baseUrl: "http://bytespike.test",
    fetch,
    maxRetries: 0,
  });

describe("ByteSpike adapter", () => {
  it("books the seed rows oldest first, signed as sent, with the balance after each", async () => {
    const { fetch } = bytespikeServer(BYTESPIKE_SEED);
    const entries = await all(adapters.bytespike.entries(bytespikeClient(fetch), context()));
    expect(pick(entries)).toEqual([
      {
        id: "901188",
        time: "2026-05-15T08:14:02.000Z",
        kind: "credit",
        amount: "5.00",
        balanceAfter: "31.40",
      },
      {
        id: "901234",
        time: "2026-05-21T14:08:11.000Z",
        kind: "topup",
        amount: "50.00",
        balanceAfter: "81.40",
      },
    ]);
    expect(entries[0]).toMatchObject({
      provider: "bytespike",
      currency: "USD",
      description: "Goodwill credit — failed Doubao call burst, ticket #312",
    });
    expect(entries[1]).toMatchObject({
      reference: "ch_3PYj...mock-49",
      description: "stripe card_visa_4242",
    });
    expect(entries[1]!.raw).toEqual(BYTESPIKE_SEED[0]);
  });

  it("maps every kind, debits negative", async () => {
    const rows = [
      {
        id: 1,
        created_at: "2026-01-01T00:00:01Z",
        kind: "refund",
        amount_usd: 0.0042,
        balance_after_usd: 1,
        source: {},
      },
      {
        id: 2,
        created_at: "2026-01-01T00:00:02Z",
        kind: "admin_debit",
        amount_usd: -3.25,
        balance_after_usd: 1,
        source: { actor: "ops" },
      },
      {
        id: 3,
        created_at: "2026-01-01T00:00:03Z",
        kind: "subscription_renew",
        amount_usd: -20,
        balance_after_usd: 1,
        source: {},
      },
    ];
    const { fetch } = bytespikeServer(rows);
    const entries = await all(adapters.bytespike.entries(bytespikeClient(fetch), context()));
    expect(entries.map((e) => [e.kind, e.amount])).toEqual([
      ["refund", "0.0042"],
      ["debit", "-3.25"],
      ["subscription", "-20.00"],
    ]);
  });

  it("walks many pages from the last to the first: ascending, each row once, `until` pinned", async () => {
    const start = Date.parse("2026-01-01T00:00:00Z");
    const rows = Array.from({ length: 1234 }, (_, i) => ({
      id: 1000 + i,
      created_at: new Date(start + i * 60_000).toISOString(),
      kind: i % 10 === 0 ? "topup" : "refund",
      amount_usd: i % 10 === 0 ? 10 : 0.01,
      balance_after_usd: i,
      source: {},
    }));
    const server = bytespikeServer(rows);
    const entries = await all(adapters.bytespike.entries(bytespikeClient(server.fetch), context()));
    expect(entries.map((e) => e.id)).toEqual(rows.map((row) => String(row.id)));
    const requests = server.fetch.calls.map((call) => Object.fromEntries(call.url.searchParams));
    expect(requests.map((q) => Number(q.page))).toEqual([1, 7, 6, 5, 4, 3, 2]);
    expect(new Set(requests.map((q) => q.until))).toEqual(new Set([window.until.toISOString()]));
    expect(new Set(requests.map((q) => q.page_size))).toEqual(new Set(["200"]));
    // bounded: the pages ahead are capped, not the whole history
    expect(server.maxInFlight()).toBeLessThanOrEqual(3);
  });

  it("warns about, and skips, a kind it does not know", async () => {
    const warnings: string[] = [];
    const { fetch } = bytespikeServer([
      ...BYTESPIKE_SEED,
      {
        id: 5,
        created_at: "2026-05-16T00:00:00Z",
        kind: "bonus",
        amount_usd: 1,
        balance_after_usd: 1,
        source: {},
      },
    ]);
    const entries = await all(
      adapters.bytespike.entries(bytespikeClient(fetch), context(warnings)),
    );
    expect(entries.map((e) => e.id)).toEqual(["901188", "901234"]);
    expect(warnings).toEqual([expect.stringContaining('unknown kind "bonus"')]);
  });

  it("reads the balance from the account", async () => {
    const fetch = fakeFetch(() => ({ json: { balance: { available_usd: 81.4 } } }));
    expect(await adapters.bytespike.balance!(bytespikeClient(fetch))).toEqual([
      { currency: "USD", micros: parseDecimal("81.40") },
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// WaveSpeed
// ---------------------------------------------------------------------------------------------

const SEARCH_SEED = {
  uuid: "d6b45aaa54fb4d12930acc36c9ae639f",
  billing_type: "deduct",
  price: 0.02,
  created_at: "2025-10-01T11:13:30.051Z",
  updated_at: "2025-10-01T11:13:30.051Z",
  order: {
    uuid: "2bf7346d433e4b0e9e70bc24e5e24644",
    state: "done",
    price: 0.02,
    origin_price: 0.02,
    status: "",
    ak_id: 0,
  },
  prediction: {
    uuid: "cb54bb552ff94e1ea6a5c2976fe1c0c1",
    model_uuid: "bytedance/seedream-v3",
    status: "completed",
  },
  access_key_name: "",
};

const ACCOUNT_SEED = [
  {
    id: "txn_abc123",
    type: "topup",
    amount: 100.0,
    currency: "USD",
    status: "completed",
    payment_method: "stripe",
    created_at: "2024-01-15T10:30:00.000Z",
  },
  {
    id: "txn_def456",
    type: "usage",
    amount: -15.5,
    currency: "USD",
    status: "completed",
    model: "wavespeed-ai/flux-dev",
    created_at: "2024-01-15T11:00:00.000Z",
  },
];

const envelope = (data: unknown) => ({ json: { code: 200, message: "success", data } });

/** A WaveSpeed server: search rows (served ascending, paged) and account billings (as given). */
function wavespeedServer(search: any[], account: any[], options: { accountStatus?: number } = {}) {
  return fakeFetch(({ url, body }) => {
    if (url.pathname === "/api/v3/billings/search") {
      const sorted = [...search].sort((a, b) => (a.created_at < b.created_at ? -1 : 1));
      const { page, page_size } = body;
      return envelope({
        page,
        total: sorted.length,
        items: sorted.slice((page - 1) * page_size, page * page_size),
      });
    }
    if (url.pathname === "/api/v3/account/billings") {
      if (options.accountStatus)
        return {
          status: options.accountStatus,
          json: { code: options.accountStatus, message: "Not Found", data: null },
        };
      const page = Number(url.searchParams.get("page"));
      const size = Number(url.searchParams.get("page_size"));
      return envelope({
        items: account.slice((page - 1) * size, page * size),
        pagination: { page, page_size: size, total: account.length },
      });
    }
    return { status: 404, json: { code: 404, message: "Not Found" } };
  });
}

const wavespeedClient = (fetch: typeof globalThis.fetch) =>
  createWaveSpeedClient({
    apiKey: "sk-test",
    baseUrl: "http://wavespeed.test",
    fetch,
    maxRetries: 0,
  });

describe("WaveSpeed adapter", () => {
  it("books deductions negative and top-ups positive; the usage rows of account billings are not added again", async () => {
    const fetch = wavespeedServer([SEARCH_SEED], ACCOUNT_SEED);
    const entries = await all(adapters.wavespeed.entries(wavespeedClient(fetch), context()));
    expect(pick(entries)).toEqual([
      {
        id: "txn_abc123",
        time: "2024-01-15T10:30:00.000Z",
        kind: "topup",
        amount: "100.00",
        balanceAfter: undefined,
      },
      {
        id: SEARCH_SEED.uuid,
        time: "2025-10-01T11:13:30.051Z",
        kind: "usage",
        amount: "-0.02",
        balanceAfter: undefined,
      },
    ]);
    expect(entries[1]).toMatchObject({
      model: "bytedance/seedream-v3",
      reference: SEARCH_SEED.prediction.uuid,
    });
    expect(entries.some((e) => e.id === "txn_def456")).toBe(false);
  });

  it("asks the server for ascending order in the pinned window, and top-ups only", async () => {
    const fetch = wavespeedServer([SEARCH_SEED], ACCOUNT_SEED);
    await all(adapters.wavespeed.entries(wavespeedClient(fetch), context()));
    const search = fetch.calls.find((call) => call.url.pathname === "/api/v3/billings/search")!;
    expect(search.body).toMatchObject({
      sort: "created_at ASC",
      start_time: String(window.since.getTime()),
      end_time: String(window.until.getTime()),
    });
    const account = fetch.calls.find((call) => call.url.pathname === "/api/v3/account/billings")!;
    expect(Object.fromEntries(account.url.searchParams)).toMatchObject({
      type: "topup",
      start_date: "2020-01-01",
      end_date: "2026-11-01",
    });
  });

  it("merges the search pages with the (unordered) top-ups in time order; refunds positive", async () => {
    const search = Array.from({ length: 250 }, (_, i) => ({
      ...SEARCH_SEED,
      uuid: `b${String(i).padStart(4, "0")}`,
      billing_type: i % 50 === 7 ? "refund" : "deduct",
      price: 0.125,
      created_at: new Date(Date.parse("2025-01-01T00:00:00Z") + i * 3_600_000).toISOString(),
    }));
    const topups = [
      { ...ACCOUNT_SEED[0], id: "t3", created_at: "2025-01-10T00:30:00Z", amount: 30 },
      { ...ACCOUNT_SEED[0], id: "t1", created_at: "2024-12-31T00:00:00Z", amount: 10 },
      { ...ACCOUNT_SEED[0], id: "t2", created_at: "2025-01-05T12:30:00Z", amount: 20 },
      {
        ...ACCOUNT_SEED[0],
        id: "t4",
        created_at: "2025-01-06T00:00:00Z",
        amount: 5,
        status: "pending",
      },
    ];
    const fetch = wavespeedServer(search, topups);
    const entries = await all(adapters.wavespeed.entries(wavespeedClient(fetch), context()));
    const times = entries.map((e) => e.time);
    expect(times).toEqual([...times].sort());
    expect(entries.filter((e) => e.kind === "topup").map((e) => e.id)).toEqual(["t1", "t2", "t3"]);
    expect(entries.filter((e) => e.kind === "usage")).toHaveLength(245);
    expect(entries.filter((e) => e.kind === "refund").map((e) => e.amount)).toEqual(
      Array(5).fill("0.125"),
    );
    expect(entries.filter((e) => e.kind === "usage")[0]!.amount).toBe("-0.125");
  });

  it("skips, with a warning, a search record of a type it does not know (no double top-ups)", async () => {
    const warnings: string[] = [];
    const fetch = wavespeedServer(
      [SEARCH_SEED, { ...SEARCH_SEED, uuid: "x1", billing_type: "topup", price: 100 }],
      [],
    );
    const entries = await all(
      adapters.wavespeed.entries(wavespeedClient(fetch), context(warnings)),
    );
    expect(entries.map((e) => e.id)).toEqual([SEARCH_SEED.uuid]);
    expect(warnings).toEqual([expect.stringContaining('unknown billing_type "topup"')]);
  });

  it("goes on without top-ups, with a warning, when the deprecated endpoint is gone (404)", async () => {
    const warnings: string[] = [];
    const fetch = wavespeedServer([SEARCH_SEED], [], { accountStatus: 404 });
    const entries = await all(
      adapters.wavespeed.entries(wavespeedClient(fetch), context(warnings)),
    );
    expect(entries.map((e) => e.id)).toEqual([SEARCH_SEED.uuid]);
    expect(warnings).toEqual([expect.stringContaining("top-ups are missing")]);
  });

  it("fails on any other error of the top-up endpoint", async () => {
    const fetch = wavespeedServer([SEARCH_SEED], [], { accountStatus: 401 });
    await expect(
      all(adapters.wavespeed.entries(wavespeedClient(fetch), context())),
    ).rejects.toMatchObject({
      name: "AuthenticationError",
    });
  });
});

// ---------------------------------------------------------------------------------------------
// xAI
// ---------------------------------------------------------------------------------------------

const TEAM = "3fa85f64-5717-4562-b3fc-2c963f66afa6";
/** The spec's example changes (debt-side signs). */
const XAI_CHANGES = [
  {
    teamId: TEAM,
    changeOrigin: "PURCHASE",
    topupStatus: "SUCCEEDED",
    amount: { val: "-5000" },
    invoiceId: "1e7d3a90",
    invoiceNumber: "XAI-2026-03-0042",
    createTime: "2026-03-02T10:15:00Z",
    createTs: "2026-03-02T10:15:00Z",
  },
  {
    teamId: TEAM,
    changeOrigin: "AUTO_PURCHASE",
    topupStatus: "SUCCEEDED",
    amount: { val: "-2500" },
    invoiceId: "5c4b3a29",
    invoiceNumber: "XAI-2026-03-0097",
    createTime: "2026-03-20T18:42:07Z",
  },
  {
    teamId: TEAM,
    changeOrigin: "SPEND",
    amount: { val: "6200" },
    createTime: "2026-04-01T00:10:00Z",
    spendBpKeyYear: 2026,
    spendBpKeyMonth: 3,
  },
  {
    teamId: TEAM,
    changeOrigin: "REFUND",
    amount: { val: "-200" },
    createTime: "2026-04-03T12:00:00Z",
  },
  {
    teamId: TEAM,
    changeOrigin: "MANUAL",
    amount: { val: "-500" },
    createTime: "2026-04-05T09:30:00Z",
  },
  {
    teamId: TEAM,
    changeOrigin: "PURCHASE",
    topupStatus: "TO_CHARGE",
    amount: { val: "-2500" },
    createTime: "2026-05-06T08:01:44Z",
  },
];
const XAI_INVOICES = [
  {
    teamId: TEAM,
    invoiceId: "9b2f4c1a",
    invoiceNumber: "XAI-2026-04-0187",
    createTime: "2026-05-01T00:05:12Z",
    invoiceStatus: "PAID",
    subtotal: "6750",
    tax: "0",
    total: "6750",
    monthly: { billingCycle: { year: 2026, month: 4 } },
  },
  {
    teamId: TEAM,
    invoiceId: "1e7d3a90",
    invoiceNumber: "XAI-2026-03-0042",
    createTime: "2026-03-02T10:15:00Z",
    invoiceStatus: "PAID",
    total: "5000",
    prepaid: {},
  },
  {
    teamId: TEAM,
    invoiceId: "zz",
    invoiceNumber: "XAI-2026-02-0001",
    createTime: "2026-03-01T00:00:00Z",
    invoiceStatus: "WILL_NEVER_BE_CHARGED",
    total: "100",
    monthly: { billingCycle: { year: 2026, month: 2 } },
  },
];

function xaiServer(changes: any[], invoices: any[]) {
  return fakeFetch(({ url }) => {
    if (url.pathname === "/auth/management-keys/validation") return { json: { teamId: TEAM } };
    if (url.pathname === `/v1/billing/teams/${TEAM}/prepaid/balance`)
      return { json: { changes, total: { val: "-2000" } } };
    if (url.pathname === `/v1/billing/teams/${TEAM}/invoices`) return { json: { invoices } };
    return { status: 404, json: { error: "not found" } };
  });
}

const xaiClient = (fetch: typeof globalThis.fetch) =>
  createXaiClient({ apiKey: "xai-test", baseUrl: "http://xai.test", fetch, maxRetries: 0 });

describe("xAI adapter", () => {
  it("flips the debt-side sign, skips the purchase not yet charged, and books monthly invoices as charges", async () => {
    const warnings: string[] = [];
    const fetch = xaiServer(XAI_CHANGES, XAI_INVOICES);
    const entries = await all(adapters.xai.entries(xaiClient(fetch), context(warnings)));
    expect(entries.map((e) => [e.time.slice(0, 10), e.kind, e.amount])).toEqual([
      ["2026-03-02", "topup", "50.00"],
      ["2026-03-20", "topup", "25.00"],
      ["2026-04-01", "usage", "-62.00"],
      ["2026-04-03", "refund", "2.00"],
      ["2026-04-05", "credit", "5.00"],
      ["2026-05-01", "invoice", "-67.50"],
    ]);
    expect(entries.map((e) => e.id)).toEqual([
      "prepaid-1e7d3a90",
      "prepaid-5c4b3a29",
      "prepaid-spend-2026-04-01T00:10:00.000Z",
      "prepaid-refund-2026-04-03T12:00:00.000Z",
      "prepaid-manual-2026-04-05T09:30:00.000Z",
      "invoice-9b2f4c1a",
    ]);
    expect(entries.at(-1)).toMatchObject({
      reference: "XAI-2026-04-0187",
      description: "postpaid invoice 2026-04",
    });
    expect(warnings).toEqual([]);
    // the team id was discovered once, through key validation
    expect(fetch.calls.filter((call) => call.url.pathname.startsWith("/auth/")).length).toBe(1);
  });

  it("asks for invoices a few cycles before `since` (a cycle is invoiced after it ends)", async () => {
    const fetch = xaiServer([], []);
    await all(
      adapters.xai.entries(xaiClient(fetch), {
        ...context(),
        window: { since: new Date("2026-05-01T00:00:00Z"), until: window.until },
      }),
    );
    const call = fetch.calls.find((c) => c.url.pathname.endsWith("/invoices"))!;
    expect(Object.fromEntries(call.url.searchParams)).toEqual({
      "since.year": "2026",
      "since.month": "2",
    });
  });

  it("reads {} as zero, types MANUAL by its sign, skips INVALID_ORIGIN with a warning", () => {
    const warnings: string[] = [];
    const entries = changeEntries(
      [
        { changeOrigin: "MANUAL", amount: { val: "300" }, createTime: "2026-01-01T00:00:00Z" },
        { changeOrigin: "SPEND", amount: {}, createTime: "2026-01-02T00:00:00Z" },
        {
          changeOrigin: "INVALID_ORIGIN",
          amount: { val: "1" },
          createTime: "2026-01-03T00:00:00Z",
        },
        { amount: { val: "1" }, createTime: "2026-01-04T00:00:00Z" },
        { changeOrigin: "PURCHASE", amount: { val: "-100" }, createTime: "2026-01-05T00:00:00Z" },
      ] as any,
      { warn: (message) => warnings.push(message) },
    );
    expect(entries.map((e) => [e.kind, e.amount])).toEqual([
      ["debit", "-3.00"],
      ["usage", "0.00"],
    ]);
    expect(warnings).toHaveLength(3);
    expect(warnings[0]).toContain("INVALID_ORIGIN");
    expect(warnings[2]).toContain('status "missing"');
  });

  it("numbers changes that share origin and time, so none is lost to de-duplication", () => {
    const same = {
      changeOrigin: "SPEND",
      amount: { val: "100" },
      createTime: "2026-01-01T00:00:00Z",
    };
    const entries = changeEntries([same, same, same] as any, { warn: () => {} });
    expect(entries.map((e) => e.id)).toEqual([
      "prepaid-spend-2026-01-01T00:00:00.000Z",
      "prepaid-spend-2026-01-01T00:00:00.000Z-2",
      "prepaid-spend-2026-01-01T00:00:00.000Z-3",
    ]);
  });

  it("flips every amount exactly (property)", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(2n ** 62n), max: 2n ** 62n }),
        fc.constantFrom("SPEND", "REFUND", "MANUAL"),
        (cents, origin) => {
          const [entry] = changeEntries(
            [
              {
                changeOrigin: origin,
                amount: { val: cents.toString() },
                createTime: "2026-01-01T00:00:00Z",
              },
            ] as any,
            { warn: () => {} },
          );
          expect(parseDecimal(entry!.amount)).toBe(-cents * 10_000n);
          if (origin === "MANUAL") expect(entry!.kind).toBe(cents > 0n ? "debit" : "credit");
        },
      ),
    );
  });

  it("skips unowed and unknown invoices", () => {
    const warnings: string[] = [];
    const entries = invoiceEntries(
      [
        ...XAI_INVOICES,
        {
          invoiceId: "s1",
          createTime: "2026-01-01T00:00:00Z",
          invoiceStatus: "PAID",
          total: "999",
          subscriptions: {},
        },
        {
          invoiceId: "p1",
          createTime: "2026-01-01T00:00:00Z",
          invoiceStatus: "PENDING",
          total: "1234",
          tax: "34",
          monthly: {},
        },
        { invoiceId: "i1", createTime: "2026-01-01T00:00:00Z", total: "1", monthly: {} },
      ] as any,
      { warn: (message) => warnings.push(message) },
    );
    expect(entries.map((e) => [e.id, e.amount])).toEqual([
      ["invoice-9b2f4c1a", "-67.50"],
      ["invoice-p1", "-12.34"],
    ]);
    expect(warnings).toEqual([expect.stringContaining('status "INVALID"')]);
  });

  it("reads the balance as available credit (sign flipped)", async () => {
    const fetch = xaiServer([], []);
    expect(await adapters.xai.balance!(xaiClient(fetch))).toEqual([
      { currency: "USD", micros: parseDecimal("20.00") },
    ]);
  });
});
