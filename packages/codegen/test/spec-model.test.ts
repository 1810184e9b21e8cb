// What the spec model reads for shapes the first three providers did not have: cursor pages,
// bracketed array parameters, constant headers, a key in a header of its own, Unix seconds.
import type { CursorPagination } from "@spendkit/core";
import { describe, expect, it } from "vitest";
import { readCoreApi } from "../src/core-api.js";
import { operationsTable, providerTable } from "../src/model/operations.js";
import type { Node } from "../src/spec/document.js";
import type { Spec } from "../src/spec/load.js";
import { CORE_DIR } from "./support.js";

const { moneyUnits } = readCoreApi(CORE_DIR);

function specOf(document: Node): Spec {
  return {
    file: "/spec/reports.yaml",
    fileName: "reports.yaml",
    name: "reports",
    factory: "createReportsClient",
    ext: document["x-spendkit"],
    baseUrl: document.servers[0].url,
    document,
  };
}

/** A cost report like Anthropic's and OpenAI's, with `changes` applied to its operation. */
function reports(changes: { operation?: Node; root?: Node } = {}): Node {
  return {
    openapi: "3.1.0",
    info: { title: "Reports", version: "1" },
    servers: [{ url: "https://api.reports.invalid" }],
    "x-spendkit": { name: "reports", factory: "createReportsClient", error: {} },
    security: [{ adminKey: [] }, { oauth: [] }],
    components: {
      securitySchemes: {
        adminKey: { type: "apiKey", in: "header", name: "X-Api-Key" },
        oauth: { type: "http", scheme: "bearer" },
      },
      parameters: {
        Version: {
          name: "anthropic-version",
          in: "header",
          required: true,
          schema: { type: "string", const: "2023-06-01" },
        },
      },
    },
    paths: {
      "/v1/costs": {
        get: {
          operationId: "getCosts",
          parameters: [
            { $ref: "#/components/parameters/Version" },
            { name: "beta", in: "header", required: false, schema: { type: "string" } },
            {
              name: "start_time",
              in: "query",
              required: true,
              schema: { type: "integer", "x-spendkit-time": "unix-seconds" },
            },
            {
              name: "end_time",
              in: "query",
              schema: { type: "integer", "x-spendkit-time": "unix-seconds" },
            },
            {
              name: "group_by[]",
              in: "query",
              style: "form",
              explode: true,
              schema: { type: "array", items: { type: "string" } },
            },
            { name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: 31 } },
            { name: "page", in: "query", schema: { type: "string" } },
          ],
          "x-spendkit-pagination": {
            style: "cursor",
            cursor: "page",
            next: "next_page",
            hasMore: "has_more",
            items: "data",
            pageSize: "limit",
            windowEnd: "end_time",
          },
          responses: {
            "200": {
              description: "ok",
              content: { "application/json": { schema: { type: "object" } } },
            },
          },
          ...changes.operation,
        },
      },
    },
    ...changes.root,
  };
}

describe("the spec model of cost reports", () => {
  it("reads cursor pagination, with the page size's maximum and the window end in Unix seconds", () => {
    const op = operationsTable(specOf(reports()), moneyUnits).getCosts!;
    expect(op.pagination).toEqual({
      style: "cursor",
      cursor: "page",
      next: "next_page",
      hasMore: "has_more",
      items: "data",
      pageSize: "limit",
      maxPageSize: 31,
      windowEnd: "end_time",
      windowEndFormat: "unix-seconds",
    } satisfies CursorPagination);
    expect(op.input.properties?.start_time).toEqual({ type: "integer", format: "unix-seconds" });
  });

  it("names a bracketed array parameter without its brackets, keeping the wire name", () => {
    const op = operationsTable(specOf(reports()), moneyUnits).getCosts!;
    expect(op.in.group_by).toBe("query");
    expect(op.in).not.toHaveProperty("group_by[]");
    expect(op.wire).toEqual({ group_by: "group_by[]" });
  });

  it("sends a required header of one value itself; other headers stay the caller's", () => {
    const op = operationsTable(specOf(reports()), moneyUnits).getCosts!;
    expect(op.headers).toEqual({ "anthropic-version": "2023-06-01" });
    expect(op.in).not.toHaveProperty("beta");
  });

  it("reads how the key is sent from the first security requirement", () => {
    expect(providerTable(specOf(reports())).auth).toEqual({ header: "x-api-key" });
    const bearerFirst = reports({ root: { security: [{ oauth: [] }] } });
    expect(providerTable(specOf(bearerFirst)).auth).toBeUndefined();
    const cookie = reports({
      root: {
        security: [{ cookie: [] }],
        components: { securitySchemes: { cookie: { type: "apiKey", in: "cookie", name: "sid" } } },
      },
    });
    expect(() => providerTable(specOf(cookie))).toThrow(
      /neither an http bearer scheme nor an apiKey in a header/,
    );
  });

  it("refuses what the client could not walk or write", () => {
    const bad = (pagination: Node) => () =>
      operationsTable(
        specOf(reports({ operation: { "x-spendkit-pagination": pagination } })),
        moneyUnits,
      );
    expect(bad({ style: "offset", items: "data" })).toThrow(/style "offset"/);
    expect(bad({ style: "cursor", cursor: "page", next: "next_page", items: "data" })).toThrow(
      /needs "hasMore"/,
    );
    expect(
      bad({ style: "cursor", cursor: "nope", next: "n", hasMore: "h", items: "data" }),
    ).toThrow(/unknown field "nope"/);
    const badTime = reports();
    badTime.paths["/v1/costs"].get.parameters[2].schema["x-spendkit-time"] = "unix-ms";
    expect(() => operationsTable(specOf(badTime), moneyUnits)).toThrow(/x-spendkit-time "unix-ms"/);
  });
});
