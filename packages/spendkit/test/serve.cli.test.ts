// spendkit serve as a process: metrics checked by a parser of the exposition format against the
// store's own figures, the read API's 401 and 200, and a graceful stop mid-sync that loses
// nothing.
import { type ChildProcess, spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { type Fixture, startFixture } from "@spendkit/mock";
import parsePrometheusTextFormat from "parse-prometheus-text-format";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { CLI, runCli } from "./helpers.js";
import {
  ACCOUNT,
  BYTESPIKE_KEY,
  byteSpikeAccount,
  storedIds,
  storeLocation,
  TRANSACTIONS,
  transactions,
  transactionsHandler,
} from "./store-fixture.js";

const TOKEN = "serve-token-for-tests-0123456789";

let fixture: Fixture;
let store: Awaited<ReturnType<typeof storeLocation>>;
let child: ChildProcess | undefined;

beforeAll(async () => {
  fixture = await startFixture();
});
afterAll(async () => {
  await fixture.stop();
});
afterEach(async () => {
  if (child?.pid && child.exitCode === null && child.signalCode === null) {
    child.kill("SIGKILL");
    await new Promise((resolve) => child!.once("close", resolve));
  }
  child = undefined;
  await store?.stop();
  fixture.reset();
});

interface LogLine {
  level: string;
  msg: string;
  [field: string]: unknown;
}

/** Starts `spendkit serve` and collects its JSON log lines; resolves once it listens. */
async function serve(args: string[], env: Record<string, string>) {
  const logs: LogLine[] = [];
  let stderr = "";
  const proc = spawn(process.execPath, [CLI, "serve", ...args], {
    cwd: store.dir,
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child = proc;
  proc.stderr!.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
    const lines = stderr.split("\n");
    stderr = lines.pop()!;
    for (const line of lines) logs.push(JSON.parse(line) as LogLine);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.once("close", (code, signal) => resolve({ code, signal })),
  );
  const until = async (test: () => boolean, ms = 30_000) => {
    const deadline = Date.now() + ms;
    while (!test()) {
      if (Date.now() > deadline) throw new Error(`timed out; logs: ${JSON.stringify(logs)}`);
      if (proc.exitCode !== null)
        throw new Error(`serve exited: ${JSON.stringify(logs)} ${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  await until(() => logs.some((l) => l.msg === "listening"));
  const url = String(logs.find((l) => l.msg === "listening")!.url);
  return { proc, logs, url, exited, until };
}

describe("spendkit serve", () => {
  it("serves metrics that agree with the store, health, and the read API behind its token", async () => {
    store = await storeLocation("pglite");
    const rows = transactions(30);
    fixture.route(
      TRANSACTIONS,
      transactionsHandler(() => rows),
    );
    fixture.route(ACCOUNT, byteSpikeAccount(rows.at(-1)!.balance_after_usd));
    writeFileSync(
      join(store.dir, "spendkit.config.json"),
      JSON.stringify({
        accounts: [{ provider: "bytespike", name: "main", apiKeyEnv: "KEY", baseUrl: fixture.url }],
        budgets: [
          {
            name: "monthly",
            period: "month",
            amount: "100.00",
            currency: "USD",
            thresholds: [0.5],
          },
        ],
      }),
    );
    const service = await serve(["--db", store.db, "--port", "0", "--interval", "1h"], {
      KEY: BYTESPIKE_KEY,
      SPENDKIT_SERVE_TOKEN: TOKEN,
    });
    await service.until(() => service.logs.some((l) => l.msg === "run finished"));
    expect(service.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const response = await fetch(`${service.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/plain; version=0.0.4");
    const families = parsePrometheusTextFormat(await response.text());
    const family = (name: string) => families.find((f) => f.name === name);
    const value = (name: string) => Number(family(name)?.metrics[0]?.value);
    expect(family("spendkit_balance")).toMatchObject({
      type: "GAUGE",
      metrics: [
        {
          labels: { provider: "bytespike", account: "main", currency: "USD" },
          value: String(rows.at(-1)!.balance_after_usd),
        },
      ],
    });
    // The store's own figures: 27 renewals of 0.37 (every tenth row is a top-up).
    const spent = rows
      .filter((r) => r.kind !== "topup")
      .reduce((sum, r) => sum - Math.round(r.amount_usd * 100), 0);
    expect(family("spendkit_spend_total")!.type).toBe("COUNTER");
    expect(family("spendkit_spend_total")!.metrics[0]!.value).toBe((spent / 100).toFixed(2));
    expect(family("spendkit_sync_failures_total")!.metrics[0]).toMatchObject({
      labels: { provider: "bytespike", account: "main" },
      value: "0",
    });
    const lastSuccess = value("spendkit_last_sync_success_timestamp_seconds");
    expect(Math.abs(lastSuccess - Date.now() / 1000)).toBeLessThan(120);
    expect(value("spendkit_open_audit_events")).toBe(0);
    // A faithful server: the configured provider, and no drift.
    expect(family("spendkit_spec_drifts")!.metrics).toEqual([
      { labels: { provider: "bytespike" }, value: "0" },
    ]);
    expect(family("spendkit_budget_used_ratio")!.metrics[0]!.labels).toMatchObject({
      budget: "monthly",
    });
    // No spend in the trailing 30 days (the rows are from January): no forecast, no sample.
    expect(family("spendkit_runway_days")!.metrics).toEqual([]);

    expect((await fetch(`${service.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${service.url}/readyz`)).status).toBe(200);
    const anonymous = await fetch(`${service.url}/v1/balances`);
    expect(anonymous.status).toBe(401);
    const wrong = await fetch(`${service.url}/v1/balances`, {
      headers: { authorization: "Bearer not-the-token" },
    });
    expect(wrong.status).toBe(401);
    const auth = { headers: { authorization: `Bearer ${TOKEN}` } };
    const balances = await fetch(`${service.url}/v1/balances`, auth);
    expect(balances.status).toBe(200);
    expect(await balances.json()).toMatchObject({
      balances: [
        {
          provider: "bytespike",
          account: "main",
          currency: "USD",
          balance: rows.at(-1)!.balance_after_usd.toFixed(2),
        },
      ],
    });
    const spend = await fetch(
      `${service.url}/v1/spend?group_by=provider,account&since=2026-01-01`,
      auth,
    );
    expect(spend.status).toBe(200);
    expect(await spend.json()).toMatchObject({
      spend: [
        {
          provider: "bytespike",
          account: "main",
          currency: "USD",
          amount: (spent / 100).toFixed(2),
          entries: 27,
        },
      ],
    });
    const bad = await fetch(`${service.url}/v1/spend?group_by=colour`, auth);
    expect(bad.status).toBe(400);
    expect((await fetch(`${service.url}/v1/alerts`, auth)).status).toBe(200);

    service.proc.kill("SIGTERM");
    const { code } = await service.exited;
    expect(code).toBe(0);
    expect(service.logs.some((l) => l.msg === "stopped")).toBe(true);
    // No key, token or secret in any log line.
    expect(JSON.stringify(service.logs)).not.toMatch(new RegExp(`${BYTESPIKE_KEY}|${TOKEN}`));
  });

  it("says the read API is off without SPENDKIT_SERVE_TOKEN", async () => {
    store = await storeLocation("pglite");
    fixture.route(
      TRANSACTIONS,
      transactionsHandler(() => []),
    );
    fixture.route(ACCOUNT, byteSpikeAccount(1));
    const service = await serve(["--db", store.db, "--port", "0"], {
      BYTESPIKE_API_KEY: BYTESPIKE_KEY,
      BYTESPIKE_BASE_URL: fixture.url,
    });
    const off = await fetch(`${service.url}/v1/balances`);
    expect(off.status).toBe(404);
    expect(JSON.stringify(await off.json())).toContain("SPENDKIT_SERVE_TOKEN");
    expect(service.logs.find((l) => l.msg === "listening")!.api).toMatch(/^off/);
  });

  it("logs each drift once in its life, never with the value that drifted", async () => {
    store = await storeLocation("pglite");
    // Every row carries a field the spec does not document: one drift, on every page of two runs.
    const rows = transactions(120).map((row) => ({ ...row, loyalty_points: "secret-value-91" }));
    fixture.route(
      TRANSACTIONS,
      transactionsHandler(() => rows),
    );
    fixture.route(ACCOUNT, byteSpikeAccount(rows.at(-1)!.balance_after_usd));
    const env = { BYTESPIKE_API_KEY: BYTESPIKE_KEY, BYTESPIKE_BASE_URL: fixture.url };
    const service = await serve(["--db", store.db, "--port", "0", "--interval", "1s"], env);
    await service.until(() => service.logs.filter((l) => l.msg === "run finished").length >= 2);
    expect(service.logs.filter((l) => l.msg === "drift")).toEqual([
      expect.objectContaining({
        level: "warn",
        provider: "bytespike",
        operationId: "listTransactions",
        status: 200,
        pointer: "/items/*/loyalty_points",
        problem: "unexpected",
        expected: "no such field",
      }),
    ]);
    expect(JSON.stringify(service.logs)).not.toContain("secret-value-91");
    // And counted once for the metrics, where a rule can see it.
    const families = parsePrometheusTextFormat(
      await (await fetch(`${service.url}/metrics`)).text(),
    );
    expect(families.find((f) => f.name === "spendkit_spec_drifts")).toMatchObject({
      type: "GAUGE",
      metrics: [{ labels: { provider: "bytespike" }, value: "1" }],
    });
    service.proc.kill("SIGTERM");
    expect((await service.exited).code).toBe(0);
    // Drift is noted, not a failure: the rows are stored.
    expect(await storedIds(store.location)).toHaveLength(120);
  });

  it("stops gracefully mid-sync under SIGTERM, exits 0, and loses nothing", async () => {
    store = await storeLocation("pglite");
    const rows = transactions(600);
    const handler = transactionsHandler(() => rows);
    let pid: number | undefined;
    fixture.route(TRANSACTIONS, async (request, reply) => {
      if (request.n === 3 && pid !== undefined) process.kill(pid, "SIGTERM");
      if (request.n >= 2) await reply.delay(150);
      return handler(request);
    });
    fixture.route(ACCOUNT, byteSpikeAccount(rows.at(-1)!.balance_after_usd));
    const env = { BYTESPIKE_API_KEY: BYTESPIKE_KEY, BYTESPIKE_BASE_URL: fixture.url };
    const service = await serve(["--db", store.db, "--port", "0", "--interval", "1s"], env);
    pid = service.proc.pid;
    const { code, signal } = await service.exited;
    expect(signal).toBeNull();
    expect(code).toBe(0);
    expect(service.logs.map((l) => l.msg)).toContain("stopped");
    const kept = await storedIds(store.location);
    expect(kept.length).toBeLessThan(600);
    expect(new Set(kept).size).toBe(kept.length);
    // The next sync resumes: every row exactly once, no gap.
    const resumed = await runCli(["sync", "--db", store.db], { env, cwd: store.dir });
    expect(resumed.code).toBe(0);
    const all = await storedIds(store.location);
    expect(all).toEqual(rows.map((r) => String(r.id)));
  });
});
