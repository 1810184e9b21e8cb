// The store commands as subprocesses, against the fixture server and both real databases: a
// sync killed with SIGKILL mid-way, two syncs at once, and sync → status → export → audit.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type Fixture, startFixture } from "@spendkit/mock";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { csvObjects, runCli } from "./helpers.js";
import {
  BYTESPIKE_KEY,
  ENGINES,
  type Engine,
  inStore,
  routeByteSpike,
  storedIds,
  storeLocation,
  TRANSACTIONS,
  type Transaction,
  transactions,
  transactionsHandler,
} from "./store-fixture.js";

describe.each(ENGINES)("spendkit sync on %s", (engine: Engine) => {
  let fixture: Fixture;
  let store: Awaited<ReturnType<typeof storeLocation>>;
  let rows: Transaction[];
  const env = () => ({ BYTESPIKE_API_KEY: BYTESPIKE_KEY, BYTESPIKE_BASE_URL: fixture.url });
  const cli = (args: string[], options: Parameters<typeof runCli>[1] = {}) =>
    runCli([...args, "--db", store.db], { env: env(), cwd: store.dir, ...options });
  const ids = (list: readonly Transaction[]) =>
    list.map((row) => String(row.id)).sort((a, b) => Number(a) - Number(b));

  beforeAll(async () => {
    fixture = await startFixture();
  });
  afterAll(async () => {
    await fixture.stop();
  });
  afterEach(async () => {
    await store?.stop();
    fixture.reset();
  });

  it("stores the history once, then fetches only from the high-water mark minus the overlap", async () => {
    store = await storeLocation(engine);
    rows = transactions(450);
    routeByteSpike(
      fixture,
      transactionsHandler(() => rows),
    );
    const first = await cli(["sync"]);
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(first.stdout).toContain("bytespike/bytespike: 450 new, 0 changed, 0 vanished");
    expect(fixture.requests(TRANSACTIONS)[0]!.query.get("since")).toBeNull();

    rows = [...rows, ...transactions(5, 451)];
    fixture.reset();
    routeByteSpike(
      fixture,
      transactionsHandler(() => rows),
    );
    const second = await cli(["sync"]);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain("5 new, 0 changed");
    const since = fixture.requests(TRANSACTIONS)[0]!.query.get("since")!;
    // The latest stored row (id 450) minus 48 hours.
    expect(Date.parse(since)).toBe(Date.parse(rows[449]!.created_at) - 48 * 3_600_000);
    expect(await storedIds(store.location)).toEqual(ids(rows));

    const status = await cli(["status"]);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/bytespike\/bytespike\s+USD\s+455\s+2026-01-01T07:35:00\.000Z/);

    const exported = await cli(["export", "--out", "ledger.csv"]);
    expect(exported.code).toBe(0);
    const csv = csvObjects(readFileSync(join(store.dir, "ledger.csv"), "utf8"));
    expect(csv.map((row) => row.id)).toEqual(ids(rows));
    expect(csv[0]).toMatchObject({
      provider: "bytespike",
      kind: "topup",
      amount: "50.00",
      balanceAfter: "10050.00",
    });
    expect(csv[1]).toMatchObject({
      kind: "subscription",
      amount: "-0.37",
      balanceAfter: "10049.63",
    });
    const from = rows[400]!.created_at;
    const jsonl = await cli([
      "export",
      "--format",
      "jsonl",
      "--since",
      from,
      "--provider",
      "bytespike",
    ]);
    const lines = jsonl.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(lines.map((e) => e.id)).toEqual(ids(rows.slice(400)));
    expect(lines[0]).toMatchObject({ time: `${from.slice(0, -1)}.000Z`, raw: { id: 401 } });
    const focus = await cli(["export", "--format", "focus", "--until", rows[1]!.created_at]);
    expect(csvObjects(focus.stdout).map((r) => r.x_SpendkitEntryId)).toEqual(["1"]);
    // No key anywhere in what the commands printed.
    for (const result of [first, second, status, exported, jsonl, focus]) {
      expect(result.stdout + result.stderr).not.toContain(BYTESPIKE_KEY);
    }
  });

  it("records a changed and a vanished row as audit events and keeps both rows", async () => {
    store = await storeLocation(engine);
    rows = transactions(30);
    routeByteSpike(
      fixture,
      transactionsHandler(() => rows),
    );
    expect((await cli(["sync"])).code).toBe(0);
    rows = rows
      .filter((row) => row.id !== 25)
      .map((row) =>
        row.id === 28
          ? { ...row, amount_usd: -0.4, balance_after_usd: row.balance_after_usd - 0.03 }
          : row,
      );
    const second = await cli(["sync"]);
    expect(second.stdout).toContain("0 new, 1 changed, 1 vanished");
    const audit = await cli(["audit", "--format", "jsonl"]);
    const events = audit.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(events.map((e) => [e.kind, e.entryId])).toEqual([
      ["changed", "28"],
      ["vanished", "25"],
    ]);
    expect(events[0].detail).toMatchObject({
      before: { amount: "-0.37" },
      after: { amount: "-0.40" },
    });
    expect(await storedIds(store.location)).toHaveLength(30);
    const table = await cli(["audit"]);
    expect(table.stdout).toMatch(/changed\s+bytespike\/bytespike\s+28\s+open/);
  });

  it("leaves every row exactly once and no gap after a sync killed with SIGKILL, twice", async () => {
    store = await storeLocation(engine);
    rows = transactions(10_000); // 50 pages of 200, and page 1 first
    let victim: number | undefined;
    const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    // The source stalls at `stallAt` for longer than a sync holds rows (a second): whatever the
    // engine's batch size, the rows read by then are committed on the next page. At `killAt`
    // the process is killed: after a second's wait (that commit has landed, later pages are
    // read and not committed), or at once (a commit may be under way).
    const killing = (stallAt: number, killAt: number, waitBeforeKill: number) =>
      routeByteSpike(fixture, async (request) => {
        if (request.n === stallAt) await pause(1_200);
        if (request.n === killAt && victim !== undefined) {
          await pause(waitBeforeKill);
          process.kill(victim, "SIGKILL");
        }
        return transactionsHandler(() => rows)(request);
      });
    killing(12, 20, 1_000);
    const killed = await cli(["sync"], { onSpawn: (pid) => (victim = pid) });
    expect(killed.signal).toBe("SIGKILL");
    const afterKill = await storedIds(store.location);
    expect(afterKill.length).toBeGreaterThan(0);
    expect(afterKill.length).toBeLessThan(rows.length);
    // The first sync was killed before it built the indexes only reads use: opening the store
    // (above) built them.
    await inStore(store.location, async (s) => {
      const indexes = await s.db.query<{ name: string }>(
        "SELECT indexname AS name FROM pg_indexes WHERE tablename = 'entries'",
      );
      expect(indexes.map((index) => index.name)).toEqual(
        expect.arrayContaining(["entries_ledger_order", "entries_balance_order"]),
      );
    });

    // Killed again in the middle of the resumed sync.
    fixture.reset();
    killing(8, 14, 0);
    const again = await cli(["sync"], { onSpawn: (pid) => (victim = pid) });
    expect(again.signal).toBe("SIGKILL");

    victim = undefined;
    const resumed = await cli(["sync"]);
    expect(resumed.stderr).toBe("");
    expect(resumed.code).toBe(0);
    expect(await storedIds(store.location)).toEqual(ids(rows));
    await inStore(store.location, async (s) => {
      const [revisions] = await s.db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM entry_revisions",
      );
      expect(revisions!.n).toBe(0);
    });
  });

  it("lets only one sync run at a time: the second exits with a clear message", async () => {
    store = await storeLocation(engine);
    rows = transactions(500);
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let arrived: () => void = () => {};
    const firstRequest = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    routeByteSpike(fixture, async (request) => {
      if (request.n === 2) {
        arrived();
        await held;
      }
      return transactionsHandler(() => rows)(request);
    });
    const first = cli(["sync"]);
    await firstRequest;
    const second = await cli(["sync"]);
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(
      engine === "postgres"
        ? /another spendkit sync is running on postgres:\/\/spendkit:\*\*\*@127\.0\.0\.1/
        : /is in use by another spendkit process \(pid \d+\)/,
    );
    release();
    const done = await first;
    expect(done.code).toBe(0);
    expect(await storedIds(store.location)).toEqual(ids(rows));
  });
});
