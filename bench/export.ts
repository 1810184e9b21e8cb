// Part 3 — export. The spendkit CLI (`spendkit ledger --provider bytespike --format csv --out
// FILE`) runs as a subprocess against the fixture server, for 100,000 and 1,000,000 rows; so do
// the baselines (bench/lib/export-loop.ts): a minimal hand-written fetch → CSV loop, and the
// same loop over the bytespike client's `.all()` without the ledger. Every process is
// preloaded with bench/lib/rss-preload.ts, which reports its own peak RSS at exit; the
// baselines and the preload run as plain JavaScript (bench/lib/child.ts), like the CLI. Every
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
import { spendkitAll } from "./http.js";
import { compile } from "./lib/child.js";
import {
  BENCH,
  fmt,
  median,
  ROOT,
  type Row,
  type RunOptions,
  rotation,
  row,
  startServer,
} from "./lib/common.js";

/** The CLI under test; BENCH_SPENDKIT_CLI points at another build (a prototype, an old release). */
export const CLI =
  // biome-ignore lint/suspicious/noUndeclaredEnvVars: not a turbo task; an opt-in for bench runs
  process.env.BENCH_SPENDKIT_CLI ?? join(ROOT, "packages", "spendkit", "dist", "cli.js");
const KEY = "sk-byts-bench";

/** One export program: the CLI or a baseline of bench/lib/export-loop.ts. */
interface Variant {
  name: string;
  /** The script node runs. */
  command: string;
  args: string[];
  cli?: boolean;
}

/** The median wall time and peak RSS of a variant's runs at one size. */
interface Figures {
  ms: number;
  rss: number;
}

async function countLines(file: string): Promise<number> {
  let lines = 0;
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
  }
  return lines;
}

/** Runs one export process; resolves with wall ms, rows written and peak RSS in bytes. */
async function exportOnce({
  command,
  args,
  baseUrl,
  dir,
  label,
  preload,
}: {
  command: string;
  args: string[];
  baseUrl: string;
  dir: string;
  label: string;
  /** The file URL of the compiled bench/lib/rss-preload.ts. */
  preload: string;
}): Promise<{ ms: number; rows: number; rss: number }> {
  const out = join(dir, `${label}.csv`);
  const rssFile = join(dir, `${label}.rss.json`);
  rmSync(out, { force: true });
  rmSync(rssFile, { force: true });
  const start = performance.now();
  const child = spawn(process.execPath, ["--import", preload, command, ...args, "--out", out], {
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
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk;
  });
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  const ms = performance.now() - start;
  if (code !== 0) {
    const last = stderr.trim().split("\n").filter(Boolean).slice(-3).join(" | ");
    throw new Error(`${label}: exit code ${code}: ${last}`);
  }
  const rows = (await countLines(out)) - 1; // the header
  const { maxRssKiB }: { maxRssKiB: number } = JSON.parse(readFileSync(rssFile, "utf8"));
  rmSync(out, { force: true });
  return { ms, rows, rss: maxRssKiB * 1024 };
}

const mib = (bytes: number) => `${fmt(bytes / 1024 / 1024, 1)} MiB`;
const rate = (rows: number, ms: number) => `${fmt(rows / (ms / 1000))} rows/s`;

export async function run({ quick = false }: RunOptions = {}): Promise<Row[]> {
  const out: Row[] = [];
  const preload = pathToFileURL(await compile(join(BENCH, "lib", "rss-preload.ts"))).href;
  const loop = await compile(join(BENCH, "lib", "export-loop.ts"));
  const server = await startServer();
  const dir = mkdtempSync(join(tmpdir(), "spendkit-bench-"));
  const cliBuilt = existsSync(CLI);
  try {
    // The window covers every row of every dataset (the newest is a minute older than the server).
    const window = (rows: number) => {
      const since = new Date(server.endMs - rows * 1000 - 60_000).toISOString();
      return ["--since", since];
    };
    const variants: Variant[] = [
      { name: "hand fetch→CSV loop", command: loop, args: ["--via", "hand"] },
      { name: ".all()→CSV loop", command: loop, args: ["--via", "client"] },
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
    const results = new Map<number, Figures[]>();
    for (const rows of sizes) {
      const repeats = quick ? 1 : rows >= 1_000_000 ? 2 : 3;
      const runs: Figures[][] = variants.map(() => []);
      for (let r = 0; r < repeats; r++) {
        for (const i of rotation(variants.length, r)) {
          const v = variants[i]!;
          const result = await exportOnce({
            command: v.command,
            args: [...v.args, ...window(rows)],
            baseUrl: server.url(rows),
            dir,
            label: `${v.cli ? "cli" : v.args[1]}-${rows}`,
            preload,
          });
          if (result.rows !== rows) {
            throw new Error(`${v.name} wrote ${result.rows} rows of ${rows}`);
          }
          runs[i]!.push(result);
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
    const [small, large] = sizes as [number, number];
    const hand = variants.findIndex((v) => v.args.includes("hand"));
    const handName = variants[hand]!.name;
    const figures = (rows: number, i: number) => results.get(rows)![i]!;
    const label = (n: number) => `${fmt(n / 1000)}k rows`;
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
        const m = figures(rows, i);
        const b = figures(rows, hand);
        const gated = v.cli && rows === large;
        out.push(
          row({
            part: 3,
            name: `export ${label(rows)} rows/s: ${v.name} vs ${handName}`,
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
      const m = figures(large, i);
      const b = figures(small, i);
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
    const { createByteSpikeClient } = await import("@spendkit/bytespike");
    const pages = 100;
    const latentRows = pages * 200;
    const latentUrl = server.url(latentRows, 20);
    const client = createByteSpikeClient({ apiKey: KEY, baseUrl: latentUrl });
    const until = new Date(server.endMs + 1000).toISOString();
    const onItem = () => {};
    const modes = [{ concurrency: 1 }, { concurrency: undefined }];
    const times: number[][] = modes.map(() => []);
    for (let r = 0; r < (quick ? 1 : 3); r++) {
      for (const i of rotation(modes.length, r)) {
        const start = performance.now();
        const n = await spendkitAll(client, { until, onItem, ...modes[i] });
        times[i]!.push(performance.now() - start);
        if (n !== latentRows) throw new Error(`read ${n} of ${latentRows} rows`);
      }
    }
    out.push(
      row({
        part: 3,
        name: `20 ms/page, ${pages} pages, time: .all() (4 ahead) vs .all({concurrency:1})`,
        measured: `${fmt(median(times[1]!))} ms`,
        baseline: `${fmt(median(times[0]!))} ms`,
        ratio: median(times[1]!.map((t, r) => t / times[0]![r]!)),
        target: "≤ 0.30×",
        max: 0.3,
      }),
    );
    if (cliBuilt) {
      const cli = variants.find((v) => v.cli)!;
      const measure = async (v: Variant, label: string) => {
        const result = await exportOnce({
          command: v.command,
          args: [...v.args, ...window(latentRows)],
          baseUrl: latentUrl,
          dir,
          label,
          preload,
        });
        if (result.rows !== latentRows) throw new Error(`${v.name}: ${result.rows} rows`);
        return result.ms;
      };
      const cliMs: number[] = [];
      const loopMs: number[] = [];
      for (let r = 0; r < (quick ? 1 : 2); r++) {
        cliMs.push(await measure(cli, "latent-cli"));
        loopMs.push(await measure(variants[hand]!, "latent-hand"));
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
