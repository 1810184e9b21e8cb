// Alerts end to end, as subprocesses: a scripted ByteSpike history crosses 50 % and 80 % of a
// monthly budget and a balance floor over several syncs, into a real store, delivered to a
// webhook receiver on loopback that checks every signature.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { type Fixture, startFixture } from "@spendkit/mock";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./helpers.js";
import {
  ACCOUNT,
  BYTESPIKE_KEY,
  byteSpikeAccount,
  ENGINES,
  type Engine,
  storeLocation,
  TRANSACTIONS,
  type Transaction,
  transactionsHandler,
} from "./store-fixture.js";
import { startReceiver } from "./webhook-receiver.js";

const SECRET = "whsec-alerts-test-0123456789";

let fixture: Fixture;
let store: Awaited<ReturnType<typeof storeLocation>>;
let receiver: Awaited<ReturnType<typeof startReceiver>>;

beforeAll(async () => {
  fixture = await startFixture();
});
afterAll(async () => {
  await fixture.stop();
});
afterEach(async () => {
  await receiver?.stop();
  await store?.stop();
  fixture.reset();
});

/**
 * `count` renewals of 10.00 USD this month, one second apart and before now (so that this
 * month's budget counts them), ids from `firstId`.
 */
function spend(count: number, firstId: number, now = Date.now()): Transaction[] {
  const month = new Date(now);
  const monthStart = Date.UTC(month.getUTCFullYear(), month.getUTCMonth(), 1);
  return Array.from({ length: count }, (_, i) => {
    const at = Math.max(monthStart + (firstId + i) * 1000, now - 600_000 + (firstId + i) * 1000);
    return {
      id: firstId + i,
      created_at: new Date(Math.min(at, now - 1000)).toISOString().replace(".000Z", "Z"),
      kind: "subscription_renew",
      amount_usd: -10,
      balance_after_usd: 0,
      source: {},
      note: null,
    };
  });
}

function writeConfig(dir: string, webhookUrl: string) {
  writeFileSync(
    join(dir, "spendkit.config.json"),
    JSON.stringify({
      accounts: [
        {
          provider: "bytespike",
          name: "main",
          apiKeyEnv: "BYTESPIKE_API_KEY",
          baseUrl: fixture.url,
        },
      ],
      budgets: [
        {
          name: "monthly",
          period: "month",
          amount: "100.00",
          currency: "USD",
          thresholds: [0.5, 0.8, 1],
          scope: { provider: "bytespike", account: "main" },
        },
      ],
      balances: [{ name: "floor", provider: "bytespike", below: "20.00", currency: "USD" }],
      webhooks: [{ name: "ops", url: webhookUrl, secretEnv: "SPENDKIT_WEBHOOK_SECRET" }],
    }),
  );
}

describe.each(ENGINES)("alerts on %s", (engine: Engine) => {
  it("delivers each crossing once, signed, retried after a 500, and never again after a restart", async () => {
    store = await storeLocation(engine);
    receiver = await startReceiver(SECRET);
    writeConfig(store.dir, receiver.url);
    let rows = spend(3, 1);
    let balance = 50;
    fixture.route(
      TRANSACTIONS,
      transactionsHandler(() => rows),
    );
    fixture.route(ACCOUNT, () => byteSpikeAccount(balance));
    const env = { BYTESPIKE_API_KEY: BYTESPIKE_KEY, SPENDKIT_WEBHOOK_SECRET: SECRET };
    const cli = (args: string[]) => runCli([...args, "--db", store.db], { env, cwd: store.dir });

    // 30.00 of 100.00 spent, 50.00 left: nothing to say.
    const first = await cli(["sync"]);
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(first.stdout).toContain("bytespike/main: balance 50.00 USD");
    expect(receiver.received).toHaveLength(0);

    // 60.00 spent: the 50 % threshold, once.
    rows = [...rows, ...spend(3, 4)];
    balance = 40;
    const second = await cli(["sync"]);
    expect(second.code).toBe(3);
    expect(second.stdout).toMatch(
      /alert budget monthly: .*60\.00 USD spent of 100\.00 USD, past its 50 % threshold/,
    );
    expect(receiver.received).toHaveLength(1);
    const half = receiver.received[0]!;
    expect(half.signatureValid).toBe(true);
    expect(half.json).toMatchObject({
      type: "spendkit.alert",
      rule: { kind: "budget", name: "monthly" },
      threshold: "0.5",
      observed: "60.00",
      limit: "100.00",
      currency: "USD",
      scope: { provider: "bytespike", account: "main" },
    });
    expect(half.headers["x-spendkit-alert-id"]).toBe(half.json.id);

    // 90.00 spent and 15.00 left: 80 % and the floor; the receiver fails once with a 500.
    rows = [...rows, ...spend(3, 7)];
    balance = 15;
    receiver.answer(500);
    const third = await cli(["sync"]);
    expect(third.code).toBe(3);
    expect(third.stdout).toContain("past its 80 % threshold");
    expect(third.stdout).toContain(
      "alert balance floor: The balance of bytespike/main is 15.00 USD",
    );
    const delivered = receiver.delivered();
    expect(delivered.map((r) => r.json.threshold).sort()).toEqual(["0.5", "0.8", "20.00"]);
    expect(receiver.received.filter((r) => r.status === 500)).toHaveLength(1);
    expect(receiver.received.every((r) => r.signatureValid)).toBe(true);
    // The retry carries the same id: a receiver drops repeats by it.
    const retried = receiver.received.find((r) => r.status === 500)!;
    expect(delivered.some((r) => r.json.id === retried.json.id)).toBe(true);

    // A restart with nothing new: nothing is sent again.
    const again = await cli(["sync"]);
    expect(again.code).toBe(0);
    const alone = await cli(["alerts"]);
    expect(alone.code).toBe(0);
    expect(receiver.received).toHaveLength(4);

    // The balance recovers, then drops again: the floor fires a second time, with a new id.
    balance = 60;
    expect((await cli(["sync"])).code).toBe(0);
    balance = 10;
    const dropped = await cli(["sync"]);
    expect(dropped.code).toBe(3);
    const floors = receiver
      .delivered()
      .filter((r) => r.json.rule && (r.json.rule as { kind: string }).kind === "balance");
    expect(floors).toHaveLength(2);
    expect(floors[0]!.json.id).not.toBe(floors[1]!.json.id);
    expect(new Set(receiver.delivered().map((r) => r.json.id)).size).toBe(
      receiver.delivered().length,
    );

    // The store says what fired and how each delivery went.
    const dry = await cli(["alerts", "--dry-run"]);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain("nothing would fire");
  });

  it("fires a crossing once when two processes evaluate the same store at once", async () => {
    store = await storeLocation(engine);
    receiver = await startReceiver(SECRET);
    writeConfig(store.dir, receiver.url);
    fixture.route(
      TRANSACTIONS,
      transactionsHandler(() => spend(11, 1)),
    );
    fixture.route(ACCOUNT, () => byteSpikeAccount(500));
    const env = { BYTESPIKE_API_KEY: BYTESPIKE_KEY, SPENDKIT_WEBHOOK_SECRET: SECRET };
    const cli = (args: string[]) => runCli([...args, "--db", store.db], { env, cwd: store.dir });
    expect((await cli(["sync", "--no-alerts"])).code).toBe(0);
    const would = await cli(["alerts", "--dry-run"]);
    expect(would.code).toBe(3);
    expect(would.stdout.match(/^would fire: /gm)).toHaveLength(3);
    expect(receiver.received).toHaveLength(0);
    const [a, b] = await Promise.all([cli(["alerts"]), cli(["alerts"])]);
    const codes = [a.code, b.code].sort();
    const printed = `${a.stdout}${b.stdout}`.match(/^alert budget monthly: /gm) ?? [];
    // PostgreSQL: both evaluate, and each crossing is recorded, printed and sent by exactly
    // one of them (either may win any of the three). The embedded store admits one process at
    // a time: the other is told the store is busy.
    if (engine === "postgres") expect(codes).toEqual(codes.includes(0) ? [0, 3] : [3, 3]);
    else expect(codes).toEqual([1, 3]);
    expect(printed).toHaveLength(3);
    expect(receiver.delivered()).toHaveLength(3);
    expect(new Set(receiver.delivered().map((r) => r.json.id)).size).toBe(3);
  });
});

describe("spendkit alerts --test and bad config", () => {
  it("sends one signed sample to each webhook", async () => {
    store = await storeLocation("pglite");
    receiver = await startReceiver(SECRET);
    writeConfig(store.dir, receiver.url);
    const result = await runCli(["alerts", "--test"], {
      env: { SPENDKIT_WEBHOOK_SECRET: SECRET, BYTESPIKE_API_KEY: BYTESPIKE_KEY },
      cwd: store.dir,
    });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("webhook ops: test alert delivered");
    expect(receiver.received).toHaveLength(1);
    expect(receiver.received[0]!.signatureValid).toBe(true);
    expect(String(receiver.received[0]!.json.id)).toMatch(/^test-/);
  });

  it("refuses a webhook whose secret variable is not set, before anything is sent", async () => {
    store = await storeLocation("pglite");
    receiver = await startReceiver(SECRET);
    writeConfig(store.dir, receiver.url);
    const result = await runCli(["alerts", "--test"], { env: {}, cwd: store.dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("webhook ops: its secret variable (secretEnv) is not set");
    expect(receiver.received).toHaveLength(0);
  });
});
