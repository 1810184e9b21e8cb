// spendkit copy as a subprocess: an embedded store filled by spendkit sync (against the fixture
// server) copied into PostgreSQL, a second copy refused, and a copy killed with SIGKILL half-way
// that leaves its target empty. The tests build on each other, in order.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { type Fixture, type RunningPostgres, startFixture, startPostgres } from "@spendkit/mock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./helpers.js";
import {
  BYTESPIKE_KEY,
  inStore,
  routeByteSpike,
  storeLocation,
  type Transaction,
  transactions,
  transactionsHandler,
} from "./store-fixture.js";

describe("spendkit copy", () => {
  let fixture: Fixture;
  let embedded: Awaited<ReturnType<typeof storeLocation>>;
  let postgres: RunningPostgres;
  let rows: Transaction[];
  const cli = (args: string[], options: Parameters<typeof runCli>[1] = {}) =>
    runCli(args, {
      env: { BYTESPIKE_API_KEY: BYTESPIKE_KEY, BYTESPIKE_BASE_URL: fixture.url },
      cwd: embedded.dir,
      ...options,
    });
  /** What the read commands show of a store (status less its first line, which names it). */
  const contents = async (db: string) => ({
    status: (await cli(["status", "--db", db])).stdout.split("\n").slice(1),
    ledger: (await cli(["export", "--format", "jsonl", "--db", db])).stdout,
    audit: (await cli(["audit", "--all", "--format", "jsonl", "--db", db])).stdout,
  });

  beforeAll(async () => {
    fixture = await startFixture();
    embedded = await storeLocation("pglite");
    postgres = await startPostgres();
    // 450 rows, then one changed and one gone: revisions, audit events, snapshots, rollups.
    rows = transactions(450);
    routeByteSpike(
      fixture,
      transactionsHandler(() => rows),
    );
    expect((await cli(["sync", "--db", embedded.db])).code).toBe(0);
    rows = rows
      .filter((row) => row.id !== 440)
      .map((row) => (row.id === 445 ? { ...row, amount_usd: -0.4 } : row));
    const second = await cli(["sync", "--db", embedded.db]);
    expect(second.stdout).toContain("0 new, 1 changed, 1 vanished");
  });
  afterAll(async () => {
    await fixture?.stop();
    await postgres?.stop();
    await embedded?.stop();
  });

  it("copies the embedded store (SPENDKIT_DB) into PostgreSQL and prints the rows per table", async () => {
    const copied = await cli(["copy", "--to", postgres.url], {
      env: { SPENDKIT_DB: embedded.db },
    });
    expect(copied.stderr).toBe("");
    expect(copied.code).toBe(0);
    const lines = copied.stdout.split("\n");
    expect(lines[0]).toBe(
      `copied ${embedded.db} into ${postgres.url.replace(/:[^:@/]+@/, ":***@")}`,
    );
    expect(lines[1]).toMatch(/^TABLE\s+ROWS$/);
    expect(copied.stdout).toMatch(/\nentries\s+450\n/);
    expect(copied.stdout).toMatch(/\nentry_revisions\s+1\n/);
    expect(copied.stdout).toMatch(/\naudit_events\s+2\n/);
    expect(copied.stdout).toMatch(/\nbalance_snapshots\s+2\n/);
    expect(copied.stdout).toMatch(/\nsync_state\s+1\n/);
    expect(copied.stdout).not.toContain("spendkit-test-only");

    const copy = await contents(postgres.url);
    expect(copy).toEqual(await contents(embedded.db));
    expect(copy.ledger.split("\n")).toHaveLength(450); // 449 listed rows and the last newline
    expect(copy.audit).toContain('"kind":"vanished"');
  });

  it("refuses to copy into a store that holds rows, and changes nothing", async () => {
    const before = await contents(postgres.url);
    const again = await cli(["copy", "--db", embedded.db, "--to", postgres.url]);
    expect(again.code).toBe(1);
    expect(again.stdout).toBe("");
    expect(again.stderr).toMatch(
      /^spendkit: failed: CopyRefusedError: postgres:\/\/.* is not empty/,
    );
    expect(await contents(postgres.url)).toEqual(before);
  });

  it("leaves the target empty when killed half-way, and copies whole the next time", async () => {
    const target = join(embedded.dir, "from-postgres");
    let victim: number | undefined;
    // Held by the test: the copy reads every table before sync_state (the last in its order)
    // and loads it into the target, then waits here until it is killed.
    await inStore({ engine: "postgres", url: postgres.url }, (store) =>
      store.db.transaction(async (tx) => {
        await tx.query("LOCK TABLE sync_state IN ACCESS EXCLUSIVE MODE");
        const killed = cli(["copy", "--db", postgres.url, "--to", target], {
          onSpawn: (pid) => (victim = pid),
        });
        for (;;) {
          const [waiting] = await tx.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM pg_locks
             WHERE NOT granted AND relation = 'spendkit.sync_state'::regclass`,
          );
          if (waiting?.n) break;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        process.kill(victim!, "SIGKILL");
        expect((await killed).signal).toBe("SIGKILL");
      }),
    );
    // The killed process's lock on the directory is stale; the rows it loaded were never
    // committed.
    const counts = await inStore({ engine: "pglite", path: target }, (store) =>
      store.db.query<{ rows: number }>(
        `SELECT (SELECT count(*) FROM entries)::int + (SELECT count(*) FROM audit_events)::int
           + (SELECT count(*) FROM balance_snapshots)::int + (SELECT count(*) FROM entry_days)::int
           AS rows`,
      ),
    );
    expect(counts).toEqual([{ rows: 0 }]);

    const copied = await cli(["copy", "--db", postgres.url, "--to", target]);
    expect(copied.code).toBe(0);
    expect(await contents(target)).toEqual(await contents(embedded.db));
  });

  it("needs --to, and another store than the one it copies", async () => {
    const none = await cli(["copy", "--db", embedded.db]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("--to: give the directory or postgres:// URL to copy into");
    const itself = await cli(["copy", "--to", "store"], { env: { SPENDKIT_DB: embedded.db } });
    expect(itself.code).toBe(2);
    expect(itself.stderr).toContain("--to: names the store being copied");
    const help = await cli(["copy", "--help"]);
    expect(help.stdout).toContain("Usage: spendkit copy --to PATH|URL");
  });

  it("refuses a postgres:// URL it cannot parse as a usage error, never repeating it", async () => {
    const secret = "postgres://spendkit:s3cret@db.internal:not-a-port/ledger";
    for (const args of [
      ["copy", "--db", embedded.db, "--to", secret],
      ["copy", "--db", secret, "--to", join(embedded.dir, "elsewhere")],
      ["status", "--db", secret],
    ]) {
      const refused = await cli(args);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/--(to|db): the postgres:\/\/ URL cannot be parsed/);
      expect(refused.stderr).not.toContain("s3cret");
    }
    expect(existsSync(join(embedded.dir, "elsewhere"))).toBe(false);
  });
});
