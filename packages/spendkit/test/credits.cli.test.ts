// The credit and balance providers through the CLI, as a user runs it, against the fixture
// server and a real embedded store: OpenRouter's 30-day window (a sync after a long gap says
// which days are gone), DeepSeek's balances only (sync and ledger say so, never an error).
import { type Fixture, startFixture } from "@spendkit/mock";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./helpers.js";
import { inStore, storeLocation } from "./store-fixture.js";

const DAY_MS = 86_400_000;
const day = (daysAgo: number) =>
  new Date(Date.parse(new Date().toISOString().slice(0, 10)) - daysAgo * DAY_MS)
    .toISOString()
    .slice(0, 10);

const activity = (date: string, usage: number) => ({
  date,
  model: "openai/gpt-4.1",
  model_permaslug: "openai/gpt-4.1-2025-04-14",
  endpoint_id: "550e8400-e29b-41d4-a716-446655440000",
  provider_name: "OpenAI",
  usage,
  byok_usage_inference: 0,
  requests: 1,
  prompt_tokens: 10,
  completion_tokens: 20,
  reasoning_tokens: 0,
});

let fixture: Fixture;
let store: Awaited<ReturnType<typeof storeLocation>> | undefined;
const env = () => ({
  OPENROUTER_MANAGEMENT_KEY: "sk-or-v1-management-fixture-secret",
  OPENROUTER_MANAGEMENT_BASE_URL: fixture.url,
  DEEPSEEK_API_KEY: "sk-deepseek-fixture-secret-0000",
  DEEPSEEK_BASE_URL: fixture.url,
});
const cli = (args: string[]) =>
  runCli([...args, ...(store ? ["--db", store.db] : [])], { env: env(), cwd: store?.dir });

beforeAll(async () => {
  fixture = await startFixture();
});
afterAll(async () => {
  await fixture.stop();
});
afterEach(async () => {
  await store?.stop();
  store = undefined;
  fixture.reset();
});

describe("OpenRouter: the store keeps what OpenRouter forgets", () => {
  it("a sync after more than 30 days warns that rows were lost, naming the days", async () => {
    store = await storeLocation("pglite");
    fixture.route("GET /api/v1/activity", {
      json: { data: [activity(day(3), 0.5), activity(day(2), 0.25)] },
    });
    fixture.route("GET /api/v1/credits", {
      json: { data: { total_credits: 10, total_usage: 2.5 } },
    });
    const first = await cli(["sync", "--provider", "openrouter"]);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/openrouter\/openrouter: 2 new/);
    // The balance now, kept as a snapshot: credits bought less credits used.
    expect(first.stdout).toContain("openrouter/openrouter: balance 7.50 USD");
    expect(first.stderr).not.toContain("lost");

    // The last successful sync, 40 days ago: the days from then until OpenRouter's window are gone.
    await inStore(store.location, (s) =>
      s.db.query(
        `UPDATE spendkit.sync_state SET last_success = now() - interval '40 days',
                high_water_mark = now() - interval '41 days'`,
      ),
    );
    const late = await cli(["sync", "--provider", "openrouter"]);
    expect(late.code).toBe(0);
    expect(late.stderr).toContain(
      `warning: openrouter/openrouter: rows were lost: the provider keeps only its last 30 days`,
    );
    expect(late.stderr).toContain(`10 days (${day(40)} to ${day(31)}, UTC) can no longer be read`);

    // A sync that reaches into the window again says nothing more.
    const next = await cli(["sync", "--provider", "openrouter"]);
    expect(next.stderr).not.toContain("lost");
    for (const text of [first, late, next].flatMap((r) => [r.stdout, r.stderr])) {
      expect(text).not.toContain("fixture-secret");
    }
  });
});

describe("DeepSeek: balances only", () => {
  it("sync and ledger say plainly that there are no entries; balance shows each currency", async () => {
    store = await storeLocation("pglite");
    fixture.route("GET /user/balance", {
      json: {
        is_available: true,
        balance_infos: [
          { currency: "CNY", total_balance: "110.00" },
          { currency: "USD", total_balance: "5.00" },
        ],
      },
    });
    const sync = await cli(["sync", "--provider", "deepseek"]);
    expect(sync.code).toBe(0);
    expect(sync.stdout).toContain(
      "deepseek/deepseek: no entries to sync: DeepSeek reports balances only",
    );
    // Its balances are what a sync keeps: one snapshot per currency, and the sync's success.
    expect(sync.stdout).toContain("deepseek/deepseek: balance 110.00 CNY, 5.00 USD");
    const kept = await inStore(store.location, async (s) => ({
      snapshots: await s.db.query<{ currency: string; balance: string }>(
        "SELECT currency, balance::text AS balance FROM spendkit.balance_snapshots ORDER BY currency",
      ),
      state: await s.db.query<{ ok: boolean; failures: number }>(
        "SELECT last_success IS NOT NULL AS ok, failure_count::int AS failures FROM spendkit.sync_state",
      ),
    }));
    expect(kept.snapshots).toEqual([
      { currency: "CNY", balance: "110.00" },
      { currency: "USD", balance: "5.00" },
    ]);
    expect(kept.state).toEqual([{ ok: true, failures: 0 }]);

    // ledger and balance read the providers, not the store
    const ledger = await runCli(["ledger", "--provider", "deepseek"], { env: env() });
    expect(ledger.code).toBe(0);
    expect(ledger.stderr).toContain("deepseek: DeepSeek reports balances only");
    expect(ledger.stdout).toContain("(no entries)");
    const balance = await runCli(["balance", "--provider", "deepseek", "--format", "json"], {
      env: env(),
    });
    expect(JSON.parse(balance.stdout)).toEqual([
      { provider: "deepseek", account: "deepseek", currency: "CNY", balance: "110.00" },
      { provider: "deepseek", account: "deepseek", currency: "USD", balance: "5.00" },
    ]);

    // A key DeepSeek refuses: the account failed, counted, and nothing recorded.
    fixture.route("GET /user/balance", { status: 401, json: { error: { message: "bad key" } } });
    const refused = await cli(["sync", "--provider", "deepseek"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("1 provider failed (deepseek/deepseek)");
    const after = await inStore(store.location, (s) =>
      s.db.query<{ snapshots: number; failures: number }>(
        `SELECT (SELECT count(*)::int FROM spendkit.balance_snapshots) AS snapshots,
                failure_count::int AS failures FROM spendkit.sync_state`,
      ),
    );
    expect(after).toEqual([{ snapshots: 2, failures: 1 }]);
  });
});
