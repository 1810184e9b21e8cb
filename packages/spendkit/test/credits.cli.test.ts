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
    const first = await cli(["sync", "--provider", "openrouter"]);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/openrouter\/openrouter: 2 new/);
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
  });
});
