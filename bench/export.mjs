// Part 3 — export. The spendkit CLI (`spendkit ledger --provider bytespike --format csv --out
// FILE`) runs as a subprocess against the fixture server, for 100,000 and 1,000,000 rows; so do
// the baselines (bench/lib/export-loop.mjs): a minimal hand-written fetch → CSV loop, and the
// same loop over the bytespike client's `.all()` without the ledger. Every process is
// preloaded with bench/lib/rss-preload.mjs, which reports its peak RSS (maxRSS) at exit. Every
// output is checked: one CSV line per row.
//
// Prefetching: with 20 ms of latency added to each page, `.all()` with its default concurrency
// (4 pages ahead) against `.all({ concurrency: 1 })`, in this process, over the same pages; and,
// when the CLI is built, the CLI against the sequential hand-written loop (both processes).
import { spawn } from "node:child_process";
import { createReadStream, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { spendkitAll } from "./http.mjs";
import {
  BENCH,
  fmt,
  importBuilt,
  median,
  ROOT,
  rotation,
  row,
  startServer,
} from "./lib/common.mjs";

/** The CLI under test; BENCH_SPENDKIT_CLI points at another build (a prototype, an old release). */
export const CLI =
  // biome-ignore lint/suspicious/noUndeclaredEnvVars: not a turbo task; an opt-in for bench runs
  process.env.BENCH_SPENDKIT_CLI ?? join(ROOT, "packages", "spendkit", "dist", "cli.js");
const PRELOAD = pathToFileURL(join(BENCH, "lib", "rss-preload.mjs")).href;
const LOOP = join(BENCH, "lib", "export-loop.mjs");
const KEY = "sk-byts-bench";

async function countLines(file) {
  let lines = 0;
  for await (const chunk of createReadStream(file)) {
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
  }
  return lines;
}

/** Runs one export process; resolves with wall ms, rows written and peak RSS in bytes. */
async function exportOnce({ command, args, baseUrl, dir, label }) {
  const out = join(dir, `${label}.csv`);
  const rssFile = join(dir, `${label}.rss.json`);
  rmSync(out, { force: true });
  rmSync(rssFile, { force: true });
  const start = performance.now();
  const child = spawn(process.execPath, ["--import", PRELOAD, command, ...args, "--out", out], {
    cwd: ROOT,
    env: {
      ...process.env,
      BYTESPIKE_API_KEY: KEY,
      BYTESPIKE_BASE_URL: baseUrl,
      BENCH_RSS_FILE: rssFile,
      NO_COLOR: "1",
    },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk) => {
    stderr += chunk;
  });
  const code = await new Promise((resolve) => child.on("close", resolve));
  const ms = performance.now() - start;
  if (code !== 0) {
    const last = stderr.trim().split("\n").filter(Boolean).slice(-3).join(" | ");
    throw new Error(`${label}: exit code ${code}: ${last}`);
  }
  const rows = (await countLines(out)) - 1; // the header
  const { maxRssKiB } = JSON.parse(readFileSync(rssFile, "utf8"));
  rmSync(out, { force: true });
  return { ms, rows, rss: maxRssKiB * 1024 };
}

const mib = (bytes) => `${fmt(bytes / 1024 / 1024, 1)} MiB`;
const rate = (rows, ms) => `${fmt(rows / (ms / 1000))} rows/s`;

export async function run({ quick = false } = {}) {
  const out = [];
  const server = await startServer();
  const dir = mkdtempSync(join(tmpdir(), "spendkit-bench-"));
  const cliBuilt = existsSync(CLI);
  try {
    // The window covers every row of every dataset (the newest is a minute older than the server).
    const window = (rows) => {
      const since = new Date(server.endMs - rows * 1000 - 60_000).toISOString();
      return ["--since", since];
    };
    const variants = [
      { name: "hand fetch→CSV loop", command: LOOP, args: ["--via", "hand"] },
      { name: ".all()→CSV loop", command: LOOP, args: ["--via", "client"] },
    ];
    if (cliBuilt) {
      variants.unshift({
        name: "CLI ledger csv",
        command: CLI,
        args: ["ledger", "--provider", "bytespike", "--format", "csv"],
        cli: true,
      });
    }
    const sizes = quick ? [100_000, 200_000] : [100_000, 1_000_000];
    const results = new Map();
    for (const rows of sizes) {
      const repeats = quick ? 1 : rows >= 1_000_000 ? 2 : 3;
      const runs = variants.map(() => []);
      for (let r = 0; r < repeats; r++) {
        for (const i of rotation(variants.length, r)) {
          const v = variants[i];
          const result = await exportOnce({
            command: v.command,
            args: [...v.args, ...window(rows)],
            baseUrl: server.url(rows),
            dir,
            label: `${v.cli ? "cli" : v.args[1]}-${rows}`,
          });
          if (result.rows !== rows) {
            throw new Error(`${v.name} wrote ${result.rows} rows of ${rows}`);
          }
          runs[i].push(result);
        }
      }
      results.set(
        rows,
        runs.map((list) => ({
          ms: median(list.map((x) => x.ms)),
          rss: median(list.map((x) => x.rss)),
        })),
      );
    }
    const [small, large] = sizes;
    const hand = variants.findIndex((v) => v.args.includes("hand"));
    const label = (n) => `${fmt(n / 1000)}k rows`;
    if (!cliBuilt) {
      out.push(
        row({
          part: 3,
          name: "export: spendkit ledger --format csv",
          measured: `spendkit CLI not built (${relative(ROOT, CLI)})`,
          note: "SKIPPED",
          target: "—",
        }),
      );
    }
    for (const [i, v] of variants.entries()) {
      if (i === hand) continue;
      for (const rows of sizes) {
        const m = results.get(rows)[i];
        const b = results.get(rows)[hand];
        const gated = v.cli && rows === large;
        out.push(
          row({
            part: 3,
            name: `export ${label(rows)} rows/s: ${v.name} vs ${variants[hand].name}`,
            measured: `${rate(rows, m.ms)} (${fmt(m.ms / 1000, 1)} s)`,
            baseline: `${rate(rows, b.ms)} (${fmt(b.ms / 1000, 1)} s)`,
            ratio: b.ms / m.ms,
            target: gated ? "≥ 0.80×" : undefined,
            min: gated ? 0.8 : undefined,
          }),
        );
      }
    }
    for (const [i, v] of variants.entries()) {
      const m = results.get(large)[i];
      const b = results.get(small)[i];
      out.push(
        row({
          part: 3,
          name: `peak RSS ${label(large)} vs ${label(small)}: ${v.name}`,
          measured: mib(m.rss),
          baseline: mib(b.rss),
          ratio: m.rss / b.rss,
          target: v.cli ? "≤ 1.20×" : undefined,
          max: v.cli ? 1.2 : undefined,
        }),
      );
    }

    // Prefetching under latency.
    const { createByteSpikeClient } = await importBuilt("bytespike");
    const pages = 100;
    const latentRows = pages * 200;
    const latentUrl = server.url(latentRows, 20);
    const client = createByteSpikeClient({ apiKey: KEY, baseUrl: latentUrl });
    const until = new Date(server.endMs + 1000).toISOString();
    const onItem = () => {};
    const modes = [{ concurrency: 1 }, { concurrency: undefined }];
    const times = modes.map(() => []);
    for (let r = 0; r < (quick ? 1 : 3); r++) {
      for (const i of rotation(modes.length, r)) {
        const start = performance.now();
        const n = await spendkitAll(client, { until, onItem, ...modes[i] });
        times[i].push(performance.now() - start);
        if (n !== latentRows) throw new Error(`read ${n} of ${latentRows} rows`);
      }
    }
    out.push(
      row({
        part: 3,
        name: `20 ms/page, ${pages} pages, time: .all() (4 ahead) vs .all({concurrency:1})`,
        measured: `${fmt(median(times[1]))} ms`,
        baseline: `${fmt(median(times[0]))} ms`,
        ratio: median(times[1].map((t, r) => t / times[0][r])),
        target: "≤ 0.30×",
        max: 0.3,
      }),
    );
    if (cliBuilt) {
      const cli = variants.find((v) => v.cli);
      const measure = async (v, label) => {
        const result = await exportOnce({
          command: v.command,
          args: [...v.args, ...window(latentRows)],
          baseUrl: latentUrl,
          dir,
          label,
        });
        if (result.rows !== latentRows) throw new Error(`${v.name}: ${result.rows} rows`);
        return result.ms;
      };
      const cliMs = [];
      const loopMs = [];
      for (let r = 0; r < (quick ? 1 : 2); r++) {
        cliMs.push(await measure(cli, "latent-cli"));
        loopMs.push(await measure(variants[hand], "latent-hand"));
      }
      out.push(
        row({
          part: 3,
          name: `20 ms/page, ${pages} pages, time: CLI vs hand fetch→CSV loop (processes)`,
          measured: `${fmt(median(cliMs))} ms`,
          baseline: `${fmt(median(loopMs))} ms`,
          ratio: median(cliMs) / median(loopMs),
        }),
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await server.stop();
  }
  return out;
}
