// The generated response schemas (src/responses.ts) reach the drift check: they are loaded by a
// client that sets onDrift, on its first answer.

import type { DriftReport } from "@spendkit/core";
import { describe, expect, it } from "vitest";
import { createByteSpikeClient } from "../src/index.js";

const answer = (json: unknown, status = 200) =>
  new Response(JSON.stringify(json), { status, headers: { "content-type": "application/json" } });

describe("onDrift with the generated response schemas", () => {
  it("reports a page field of the wrong type and an error body of the wrong shape", async () => {
    const reports: DriftReport[] = [];
    const bodies = [
      { items: [], total: "0", page: 1, page_size: 50 },
      { error: { type: "invalid_request_error" } },
    ];
    const client = createByteSpikeClient({
      apiKey: "sk-drift",
      maxRetries: 0,
      fetch: async () =>
        bodies.length === 2 ? answer(bodies.shift()) : answer(bodies.shift(), 400),
      onDrift: (report) => reports.push(report),
    });
    await expect(client.listTransactions({ page: 1 })).resolves.toMatchObject({ total: "0" });
    await expect(client.getUsage()).rejects.toMatchObject({ status: 400 });
    expect(
      reports.map(({ operationId, status, pointer, problem }) => [
        operationId,
        status,
        pointer,
        problem,
      ]),
    ).toEqual([
      ["listTransactions", 200, "/total", "type"],
      ["getUsage", 400, "/error/message", "missing"],
    ]);
  });
});
