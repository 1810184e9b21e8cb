// The built CommonJS copy of core, loaded beside the ESM sources: what a process gets when one
// dependency requires @spendkit/core and another imports it.
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import * as esm from "../src/index.js";

const cjs = createRequire(import.meta.url)("../dist/index.cjs") as typeof esm;

describe("one class identity across the ESM and CommonJS copies", () => {
  const details = { provider: "p", status: 429, message: "slow down", retryable: true };

  it("instanceof holds both ways, for every class", () => {
    const fromCjs = new cjs.RateLimitError(details);
    expect(cjs.RateLimitError).not.toBe(esm.RateLimitError);
    expect(fromCjs).toBeInstanceOf(esm.RateLimitError);
    expect(fromCjs).toBeInstanceOf(esm.ApiError);
    expect(fromCjs).toBeInstanceOf(esm.SpendkitError);
    expect(new esm.InputError("page", "minimum", "must be at least 1")).toBeInstanceOf(
      cjs.InputError,
    );
  });

  it("does not confuse kinds", () => {
    const fromCjs = new cjs.RateLimitError(details);
    expect(fromCjs).not.toBeInstanceOf(esm.ServerError);
    expect(fromCjs).not.toBeInstanceOf(esm.InputError);
    expect(new esm.ApiError(details)).not.toBeInstanceOf(cjs.RateLimitError);
    expect({ name: "ApiError" }).not.toBeInstanceOf(esm.ApiError);
    expect(new Error("x")).not.toBeInstanceOf(esm.SpendkitError);
  });

  it("the CommonJS build creates working clients (openapi-fetch's default export)", () => {
    const client = cjs.createClient(
      { name: "p", baseUrl: "http://127.0.0.1:9", error: {} },
      {
        ping: { method: "get", path: "/ping", retrySafe: true, in: {}, input: { type: "object" } },
      },
      { apiKey: "k" },
    );
    expect(typeof (client as any).ping).toBe("function");
    expect(typeof (client as any).raw.GET).toBe("function");
  });

  it("the kinds stay out of the serialised error", () => {
    expect(Object.keys(new esm.ApiError(details))).not.toContain("kind");
    expect(JSON.stringify(new esm.ApiError(details))).not.toContain("error-kinds");
  });
});
