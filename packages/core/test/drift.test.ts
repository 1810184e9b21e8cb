// Drift from the wire: each response checked against the spec's schema for its status, every
// difference reported by pointer and problem, never with the payload's values.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { findDrift } from "../src/drift.js";
import {
  createClient,
  type DriftReport,
  type FieldSchema,
  type OperationSpec,
} from "../src/index.js";
import { API_KEY, bearer, FAST, useFixture } from "./support.js";

const fixture = useFixture({ beforeEach, afterEach });

const page: FieldSchema = {
  type: "object",
  required: ["items", "total"],
  properties: {
    total: { type: "integer" },
    items: {
      type: "array",
      items: {
        type: "object",
        required: ["id", "kind", "amount_usd", "created_at"],
        properties: {
          id: { type: "integer" },
          kind: { type: "string", enum: ["topup", "refund"] },
          amount_usd: { type: "number" },
          created_at: { type: "string", format: "date-time" },
          note: { type: ["string", "null"] },
          source: { type: "object", properties: {}, additionalProperties: true },
        },
      },
    },
  },
};

const operations = {
  listRows: {
    method: "get",
    path: "/v1/rows",
    retrySafe: true,
    in: {},
    input: { type: "object", properties: {} },
    responses: { "200": page },
  },
} satisfies Record<string, OperationSpec>;

function client(onDrift?: (report: DriftReport) => void) {
  return createClient<Record<string, never>, { listRows: { input: object; result: unknown } }>(
    bearer,
    operations,
    { apiKey: API_KEY, baseUrl: fixture().url, ...FAST, ...(onDrift ? { onDrift } : {}) },
  );
}

const SECRET_VALUE = "customer-data-7731";

describe("onDrift", () => {
  it("reports type, missing, unexpected, enum and format by JSON pointer, and the call returns", async () => {
    fixture().route("GET /v1/rows", {
      json: {
        total: 2,
        items: [
          { id: 1, kind: "topup", amount_usd: "12.50", created_at: "2026-01-01T00:00:00Z" },
          { id: 2, kind: "bonus", amount_usd: 1, created_at: SECRET_VALUE, extra: SECRET_VALUE },
          { kind: "refund", amount_usd: 1, created_at: "2026-01-01T00:00:00Z", note: null },
        ],
        next_cursor: SECRET_VALUE,
      },
    });
    const reports: DriftReport[] = [];
    const payload = await client((report) => reports.push(report)).listRows();
    expect((payload as { items: unknown[] }).items).toHaveLength(3);
    expect(reports.map((r) => [r.pointer, r.problem, r.expected])).toEqual([
      ["/items/0/amount_usd", "type", "number"],
      ["/items/1/kind", "enum", "one of topup, refund"],
      ["/items/1/created_at", "format", "date-time"],
      ["/items/1/extra", "unexpected", "no such field"],
      ["/items/2/id", "missing", "a field"],
      ["/next_cursor", "unexpected", "no such field"],
    ]);
    expect(reports[0]).toMatchObject({ provider: "acme", operationId: "listRows", status: 200 });
    expect(JSON.stringify(reports)).not.toContain(SECRET_VALUE);
    expect(JSON.stringify(reports)).not.toContain("12.50");
  });

  it("a faithful answer reports nothing; open objects take any field", async () => {
    fixture().route("GET /v1/rows", {
      json: {
        total: 1,
        items: [
          {
            id: 1,
            kind: "refund",
            amount_usd: -1,
            created_at: "2026-01-01T00:00:00Z",
            note: null,
            source: { anything: 1 },
          },
        ],
      },
    });
    const reports: DriftReport[] = [];
    await client((report) => reports.push(report)).listRows();
    expect(reports).toEqual([]);
  });

  it("a throwing callback does not fail the call; unset, nothing is checked", async () => {
    fixture().route("GET /v1/rows", { json: { wrong: true } });
    await expect(
      client(() => {
        throw new Error("boom");
      }).listRows(),
    ).resolves.toEqual({ wrong: true });
    await expect(client().listRows()).resolves.toEqual({ wrong: true });
  });

  it("a package's separate schema table is loaded once, on the first answer, and only for onDrift", async () => {
    fixture().route("GET /v1/rows", { json: { total: "2", items: [] } });
    let loads = 0;
    const loadResponses = async () => {
      loads++;
      return { responses: { listRows: { "200": page } } };
    };
    const { responses: _, ...withoutSchemas } = operations.listRows;
    const make = (onDrift?: (report: DriftReport) => void) =>
      createClient<Record<string, never>, { listRows: { input: object; result: unknown } }>(
        bearer,
        { listRows: withoutSchemas },
        { apiKey: API_KEY, baseUrl: fixture().url, ...FAST, ...(onDrift ? { onDrift } : {}) },
        loadResponses,
      );
    await make().listRows();
    expect(loads).toBe(0);
    const reports: DriftReport[] = [];
    const checked = make((report) => reports.push(report));
    expect(loads).toBe(0);
    await checked.listRows();
    await checked.listRows();
    expect(loads).toBe(1);
    expect(reports.map((r) => [r.pointer, r.problem])).toEqual([
      ["/total", "type"],
      ["/total", "type"],
    ]);
  });

  it("a schema table that cannot be loaded leaves the answer unchecked, not failed, and is retried", async () => {
    fixture().route("GET /v1/rows", { json: { total: "2", items: [] } });
    let loads = 0;
    const loadResponses = async () => {
      if (++loads === 1) throw new TypeError("chunk could not be fetched");
      return { responses: { listRows: { "200": page } } };
    };
    const reports: DriftReport[] = [];
    const checked = createClient<
      Record<string, never>,
      { listRows: { input: object; result: unknown } }
    >(
      bearer,
      { listRows: { ...operations.listRows, responses: undefined } },
      { apiKey: API_KEY, baseUrl: fixture().url, ...FAST, onDrift: (r) => reports.push(r) },
      loadResponses,
    );
    await expect(checked.listRows()).resolves.toEqual({ total: "2", items: [] });
    expect(reports).toEqual([]);
    await checked.listRows();
    expect(loads).toBe(2);
    expect(reports.map((r) => r.pointer)).toEqual(["/total"]);
  });

  it("a payload nested past any spec is not walked without end", () => {
    let deep: unknown = 1;
    for (let i = 0; i < 10_000; i++) deep = { a: deep };
    const schema: FieldSchema = { type: "object", properties: {}, additionalProperties: true };
    expect(findDrift({ type: "object", properties: { a: schema } }, deep)).toEqual([]);
    expect(findDrift({ anyOf: [{ type: "string" }, { type: "integer" }] }, 1.5)).toEqual([
      { pointer: "", problem: "type", expected: "string" },
    ]);
  });

  it("an alternative is chosen by what it finds in full, nested alternatives included", () => {
    const nested: FieldSchema = { anyOf: [{ type: "string" }, { type: "integer" }] };
    const schema: FieldSchema = {
      anyOf: [
        { type: "object", properties: { a: nested }, required: ["a"] },
        { type: "object", properties: { b: { type: "string" } }, required: ["b"] },
      ],
    };
    expect(findDrift(schema, { b: "x" })).toEqual([]);
    expect(findDrift(schema, { a: 7 })).toEqual([]);
    // The first alternative differs in one place (inside its own anyOf), the second in two.
    expect(findDrift(schema, { a: 1.5 })).toEqual([
      { pointer: "/a", problem: "type", expected: "string" },
    ]);
    expect(findDrift(schema, { a: 1.5, c: 1 })).toEqual([
      { pointer: "/a", problem: "type", expected: "string" },
      { pointer: "/c", problem: "unexpected", expected: "no such field" },
    ]);
  });
});
