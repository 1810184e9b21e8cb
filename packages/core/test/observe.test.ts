// What a downstream service watches: the logger (levels, SPENDKIT_LOG) and the request/response
// hooks, redacted like errors. The two README examples run here as written there.
import { trace } from "@opentelemetry/api";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { InputError, type Logger, type RequestInfo, type ResponseInfo } from "../src/index.js";
import { logLevelOf } from "../src/observe.js";
import { API_KEY, acmeClient, rejection, sequence, useFixture } from "./support.js";

const fixture = useFixture({ beforeEach, afterEach });

function memoryLogger() {
  const lines: { level: string; message: string; fields?: object }[] = [];
  const at = (level: string) => (message: string, fields?: object) =>
    lines.push({ level, message, fields });
  const logger: Logger = {
    debug: at("debug"),
    info: at("info"),
    warn: at("warn"),
    error: at("error"),
  };
  return { logger, lines };
}

describe("hooks", () => {
  it("report method, path template, status, attempt, retry delay, duration and request id", async () => {
    fixture().route(
      "GET /v1/account",
      sequence(
        { status: 503, headers: { "retry-after": "0", "x-request-id": "req-1" } },
        { json: { balance: 1 }, headers: { "x-request-id": "req-2" } },
      ),
    );
    const requests: RequestInfo[] = [];
    const responses: ResponseInfo[] = [];
    const client = acmeClient(fixture(), {
      hooks: {
        onRequest: (info) => requests.push(info),
        onResponse: (info) => responses.push(info),
      },
    });
    await client.getAccount();
    expect(requests).toEqual([
      {
        provider: "acme",
        operationId: "getAccount",
        method: "GET",
        path: "/v1/account",
        attempt: 1,
      },
      {
        provider: "acme",
        operationId: "getAccount",
        method: "GET",
        path: "/v1/account",
        attempt: 2,
      },
    ]);
    expect(
      responses.map((r) => [r.attempt, r.status, r.requestId, r.retryDelayMs, r.error?.name]),
    ).toEqual([
      [1, 503, "req-1", 0, "ServerError"],
      [2, 200, "req-2", undefined, undefined],
    ]);
    for (const r of responses) expect(r.durationMs).toBeGreaterThanOrEqual(0);
  });

  it("never carry a body, a header or the key, and a throwing hook changes nothing", async () => {
    fixture().route("GET /v1/account", {
      status: 400,
      json: { error: { message: `bad key ${API_KEY}`, secret_body: "body-only-text" } },
    });
    const seen: unknown[] = [];
    const client = acmeClient(fixture(), {
      hooks: {
        onRequest: () => {
          throw new Error("a broken hook");
        },
        onResponse: (info) => seen.push(info),
      },
    });
    const error = await rejection(client.getAccount());
    expect(error.status).toBe(400);
    const text = JSON.stringify(seen);
    expect(text).not.toContain(API_KEY.slice(0, 12));
    expect(text).not.toContain("body-only-text");
    expect(text).not.toContain("authorization");
  });

  it("are checked when the client is made", () => {
    expect(() => acmeClient(fixture(), { hooks: { onRequest: "x" } as never })).toThrow(InputError);
    expect(() => acmeClient(fixture(), { logger: { debug() {} } as never })).toThrow(InputError);
    expect(() => acmeClient(fixture(), { logLevel: "loud" as never })).toThrow(InputError);
  });
});

describe("logger and levels", () => {
  it("debug logs every attempt, info the retries, warn the failure that ends a call", async () => {
    fixture().route("GET /v1/account", { status: 503, headers: { "retry-after": "0" } });
    const { logger, lines } = memoryLogger();
    await rejection(
      acmeClient(fixture(), { logger, logLevel: "debug", maxRetries: 1 }).getAccount(),
    );
    expect(lines.map((l) => l.level)).toEqual(["debug", "info", "debug", "warn"]);
    expect(lines[1]!.message).toMatch(
      /^acme getAccount: 503 in \d+ ms \(attempt 1\); retrying in 0 ms$/,
    );
    expect(lines[3]!.message).toContain("attempt 2");
  });

  it("a level filters: warn shows only the failure", async () => {
    fixture().route("GET /v1/account", { status: 503, headers: { "retry-after": "0" } });
    const { logger, lines } = memoryLogger();
    await rejection(acmeClient(fixture(), { logger, maxRetries: 1 }).getAccount());
    expect(lines.map((l) => l.level)).toEqual(["warn"]);
  });

  it("SPENDKIT_LOG sets the level; without it and without a logger the client is silent", () => {
    vi.stubEnv("SPENDKIT_LOG", "DEBUG");
    expect(logLevelOf(undefined, false)).toBe("debug");
    vi.stubEnv("SPENDKIT_LOG", "nonsense");
    expect(logLevelOf(undefined, false)).toBe("warn");
    vi.stubEnv("SPENDKIT_LOG", "");
    expect(logLevelOf(undefined, false)).toBe("off");
    expect(logLevelOf(undefined, true)).toBe("warn");
    expect(logLevelOf("error", true)).toBe("error");
    vi.unstubAllEnvs();
  });
});

describe("the README's examples", () => {
  it("logs to a logger of one's own (README: Logging)", async () => {
    fixture().route("GET /v1/account", { json: { balance: 5 } });
    const { logger, lines } = memoryLogger();
    // README example, with acmeClient standing for createByteSpikeClient:
    const client = acmeClient(fixture(), { logger, logLevel: "debug" });
    await client.getAccount();
    expect(lines.map((l) => l.message)).toEqual([
      "acme getAccount: GET /v1/account (attempt 1)",
      expect.stringMatching(/^acme getAccount: 200 in \d+ ms \(attempt 1\)$/),
    ]);
  });

  it("traces every attempt with OpenTelemetry through the hooks (README: Tracing)", async () => {
    fixture().route(
      "GET /v1/account",
      sequence({ status: 429, headers: { "retry-after": "0" } }, { json: { balance: 5 } }),
    );
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({
      spanProcessors: [new SimpleSpanProcessor(exporter)],
    });
    trace.setGlobalTracerProvider(provider);

    // README example:
    const tracer = trace.getTracer("spendkit");
    const spans = new Map<string, ReturnType<typeof tracer.startSpan>>();
    const key = (info: RequestInfo) => `${info.operationId}#${info.attempt}`;
    const hooks = {
      onRequest(info: RequestInfo) {
        spans.set(
          key(info),
          tracer.startSpan(`${info.method} ${info.path}`, {
            attributes: { "spendkit.provider": info.provider, "spendkit.attempt": info.attempt },
          }),
        );
      },
      onResponse(info: ResponseInfo) {
        const span = spans.get(key(info));
        spans.delete(key(info));
        if (info.status !== undefined) span?.setAttribute("http.response.status_code", info.status);
        if (info.error) span?.setStatus({ code: 2, message: info.error.message });
        span?.end();
      },
    };
    const client = acmeClient(fixture(), { hooks });
    await client.getAccount();

    const finished = exporter.getFinishedSpans();
    expect(
      finished.map((s) => [s.name, s.attributes["http.response.status_code"], s.status.code]),
    ).toEqual([
      ["GET /v1/account", 429, 2],
      ["GET /v1/account", 200, 0],
    ]);
    trace.disable();
  });
});
