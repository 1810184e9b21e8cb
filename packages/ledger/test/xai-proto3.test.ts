// xAI answers in the canonical proto3 JSON of its protobuf messages: unset messages absent or
// null, zero scalars and empty repeated fields left out, oneofs unset, enum values this code
// does not know, and doubles written as "NaN"/"Infinity". The adapter must book what it can,
// warn about what it cannot, and never throw on any of these shapes.
import { describe, expect, it } from "vitest";
import { changeEntries, invoiceEntries } from "../src/adapters/xai.js";
import {
  adapters,
  createXaiClient,
  formatMicros,
  InputError,
  type LedgerEntry,
  parseDecimal,
} from "../src/index.js";
import { flatten } from "../src/merge.js";
import { collect, fakeFetch } from "./helpers.js";

const TEAM = "3fa85f64-5717-4562-b3fc-2c963f66afa6";
const window = { since: new Date("2026-01-01T00:00:00Z"), until: new Date("2026-11-01T00:00:00Z") };

function server(answers: { balance?: unknown; invoices?: unknown; usage?: unknown }) {
  return fakeFetch(({ url }) => {
    if (url.pathname === "/auth/management-keys/validation") return { json: { teamId: TEAM } };
    const base = `/v1/billing/teams/${TEAM}`;
    if (url.pathname === `${base}/prepaid/balance`) return { json: answers.balance };
    if (url.pathname === `${base}/invoices`) return { json: answers.invoices };
    if (url.pathname === `${base}/usage`) return { json: answers.usage };
    return { status: 404, json: { error: "not found" } };
  });
}

const client = (fetch: typeof globalThis.fetch) =>
  createXaiClient({ apiKey: "xai-test", baseUrl: "http://xai.test", fetch, maxRetries: 0 });

async function ledger(answers: Parameters<typeof server>[0]) {
  const warnings: string[] = [];
  const entries: LedgerEntry[] = await collect(
    flatten(
      adapters.xai.entries(client(server(answers)), {
        window,
        signal: new AbortController().signal,
        warn: (message) => warnings.push(message),
      }),
    ),
  );
  return { entries, warnings };
}

describe("xAI adapter on proto3 JSON shapes", () => {
  it("reads an answer with every repeated field and message left out as an empty ledger", async () => {
    const { entries, warnings } = await ledger({ balance: {}, invoices: {} });
    expect(entries).toEqual([]);
    expect(warnings).toEqual([]);
  });

  it("reads null messages: a null amount is zero, a null createTime falls back to createTs", async () => {
    const { entries, warnings } = await ledger({
      balance: {
        changes: [
          {
            changeOrigin: "SPEND",
            amount: null,
            createTime: null,
            createTs: "2026-04-01T00:10:00Z",
            paymentProcessor: null,
          },
          {
            changeOrigin: "REFUND",
            amount: { val: "-200" },
            createTime: "2026-04-03T12:00:00Z",
            createTs: null,
          },
          { changeOrigin: "SPEND", amount: { val: "5" }, createTime: null, createTs: null },
        ],
        total: null,
      },
      invoices: { invoices: null },
    });
    expect(entries.map((e) => [e.time, e.kind, e.amount])).toEqual([
      ["2026-04-01T00:10:00.000Z", "usage", "0.00"],
      ["2026-04-03T12:00:00.000Z", "refund", "2.00"],
    ]);
    expect(warnings).toEqual([expect.stringContaining("no valid createTime")]);
  });

  it("reads a null total as a balance of zero", async () => {
    const fetch = server({ balance: { total: null } });
    expect(await adapters.xai.balance!(client(fetch))).toEqual([
      { currency: "USD", micros: parseDecimal("0.00") },
    ]);
  });

  it("skips, with a warning, an origin or a status it does not know, by name or by number", () => {
    const warnings: string[] = [];
    const entries = changeEntries(
      [
        { changeOrigin: "GIFT_CARD", amount: { val: "-100" }, createTime: "2026-01-01T00:00:00Z" },
        { changeOrigin: 60, amount: { val: "-100" }, createTime: "2026-01-02T00:00:00Z" },
        {
          changeOrigin: "PURCHASE",
          topupStatus: "ON_HOLD",
          amount: { val: "-100" },
          createTime: "2026-01-03T00:00:00Z",
        },
        {
          changeOrigin: "PURCHASE",
          amount: { val: "-100" },
          createTime: "2026-01-04T00:00:00Z",
        },
        {
          changeOrigin: "PURCHASE",
          topupStatus: "SUCCEEDED",
          amount: { val: "-100" },
          createTime: "2026-01-05T00:00:00Z",
        },
      ],
      { warn: (message) => warnings.push(message) },
    );
    expect(entries.map((e) => [e.kind, e.amount])).toEqual([["topup", "1.00"]]);
    expect(warnings).toEqual([
      expect.stringContaining('origin "GIFT_CARD"'),
      expect.stringContaining("origin 60"),
      expect.stringContaining('status "ON_HOLD"'),
      expect.stringContaining('status "missing"'),
    ]);
  });

  it("books a monthly invoice whose billing cycle and lines are null or absent, and skips invoices of no flavour", () => {
    const warnings: string[] = [];
    const entries = invoiceEntries(
      [
        {
          invoiceId: "m1",
          createTime: "2026-05-01T00:05:12Z",
          invoiceStatus: "PAID",
          total: "6750",
          lines: [],
          monthly: { billingCycle: null, defaultCreditsIssued: null },
          prepaid: null,
          subscriptions: null,
        },
        // total "0" is left out by proto3 JSON
        {
          invoiceId: "m2",
          createTime: "2026-06-01T00:00:00Z",
          invoiceStatus: "PENDING",
          monthly: {},
        },
        // no flavour at all: the oneof is unset
        { invoiceId: "n1", createTime: "2026-06-01T00:00:00Z", invoiceStatus: "PAID", total: "9" },
        {
          invoiceId: "n2",
          createTime: "2026-06-01T00:00:00Z",
          invoiceStatus: "PAID",
          total: "9",
          monthly: null,
        },
      ],
      { warn: (message) => warnings.push(message) },
    );
    expect(entries.map((e) => [e.id, e.amount, e.description])).toEqual([
      ["invoice-m1", "-67.50", "postpaid invoice"],
      ["invoice-m2", "0.00", "postpaid invoice"],
    ]);
    expect(warnings).toEqual([]);
    expect(adapters.xai.chargePeriod?.(entries[0]!)).toBeUndefined();
  });

  it("skips, with a warning, an invoice status it does not know, by name or by number", () => {
    const warnings: string[] = [];
    const entries = invoiceEntries(
      [
        {
          invoiceId: "a",
          createTime: "2026-05-01T00:00:00Z",
          invoiceStatus: "DISPUTED",
          total: "1",
          monthly: {},
        },
        {
          invoiceId: "b",
          createTime: "2026-05-01T00:00:00Z",
          invoiceStatus: 7,
          total: "1",
          monthly: {},
        },
      ],
      { warn: (message) => warnings.push(message) },
    );
    expect(entries).toEqual([]);
    expect(warnings).toEqual([
      expect.stringContaining('status "DISPUTED"'),
      expect.stringContaining('status "INVALID"'),
    ]);
  });

  it("leaves out of the usage a double that is no number (NaN, ±Infinity) and points of no timestamp", async () => {
    const fetch = server({
      usage: {
        timeSeries: [
          {
            group: ["grok-4 input tokens"],
            dataPoints: [
              { timestamp: "2026-05-01T00:00:00Z", values: [0.75] },
              { timestamp: "2026-05-02T00:00:00Z", values: ["NaN"] },
              { timestamp: "2026-05-03T00:00:00Z", values: ["Infinity"] },
              { timestamp: "2026-05-04T00:00:00Z", values: ["-Infinity"] },
              { timestamp: null, values: [1] },
              { timestamp: "2026-05-05T00:00:00Z" },
            ],
          },
          { dataPoints: [{ timestamp: "2026-05-01T00:00:00Z", values: [0.25] }] },
        ],
      },
    });
    const rows = await adapters.xai.usage!(client(fetch), {
      since: new Date("2026-05-01T00:00:00Z"),
      until: new Date("2026-05-06T00:00:00Z"),
    });
    expect(rows.map((row) => [row.day, row.model, formatMicros(row.micros)])).toEqual([
      ["2026-05-01", "grok-4 input tokens", "0.75"],
      ["2026-05-01", "(all models)", "0.25"],
    ]);
  });
});

describe("xAI key validation of a key of no team", () => {
  // Reported for keys that belong to no team: both ids written out as null rather than left out.
  const noTeam = {
    apiKeyId: "k-1",
    teamId: null,
    scope: "SCOPE_USER",
    scopeId: null,
    name: "personal",
  };

  it("validates against the spec (no drift) and asks for the teamId option, like an absent teamId", async () => {
    const drift: unknown[] = [];
    const requests: string[] = [];
    const fetch = fakeFetch(({ url }) => {
      requests.push(url.pathname);
      if (url.pathname === "/auth/management-keys/validation") return { json: noTeam };
      return { status: 404, json: { error: "not found" } };
    });
    const xai = createXaiClient({
      apiKey: "xai-test",
      baseUrl: "http://xai.test",
      fetch,
      maxRetries: 0,
      onDrift: (report) => drift.push(report),
    });
    await expect(xai.validateManagementKey()).resolves.toEqual(noTeam);
    const error = await xai.getPrepaidBalance().catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(InputError);
    expect(error).toMatchObject({ field: "teamId", rule: "required" });
    expect((error as Error).message).toContain("pass the teamId option");
    expect(drift).toEqual([]);
    expect(requests).toEqual([
      "/auth/management-keys/validation",
      "/auth/management-keys/validation",
    ]);
  });
});
