// Shared by the benchmark parts: paths, the fixture server, statistics and the results table.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath, pathToFileURL } from "node:url";
import { compile } from "./child.js";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const BENCH = join(ROOT, "bench");

/** What `pnpm bench` asks of a part. */
export interface RunOptions {
  /** Fewer rounds and smaller datasets: a smoke test of the harness, not results. */
  quick?: boolean;
  /** Rows of the largest history a part writes (part 6, PostgreSQL). */
  largeRows?: number;
}

/** A benchmark part: bench/run.ts imports it and prints the rows it returns. */
export interface Part {
  run(options?: RunOptions): Promise<Row[]>;
}

/**
 * Imports a package the way a workspace package sees it (e.g. openapi-fetch as core does), so
 * that the benchmark measures the very version the clients are built on. `Module` is the type of
 * that package's module (`typeof import("openapi-fetch")`, resolved for tsc by bench/tsconfig.json).
 */
export async function importFrom<Module>(packageDir: string, name: string): Promise<Module> {
  const require = createRequire(join(ROOT, packageDir, "package.json"));
  const manifestPath = require.resolve(`${name}/package.json`);
  const manifest: { exports?: { "."?: { import?: string } }; module?: string; main: string } =
    JSON.parse(readFileSync(manifestPath, "utf8"));
  const entry = manifest.exports?.["."]?.import ?? manifest.module ?? manifest.main;
  return import(pathToFileURL(join(dirname(manifestPath), entry)).href);
}

/** The ByteSpike stand-in of bench/lib/server.ts, running in its own process. */
export interface FixtureServer {
  port: number;
  /** When the newest row of every dataset was booked (ms since the epoch). */
  endMs: number;
  /** The base URL of a dataset of `rows` rows with `delay` ms of latency per response. */
  url(rows: number, delay?: number): string;
  stop(): Promise<void>;
}

/** Starts bench/lib/server.ts in its own process. */
export async function startServer(): Promise<FixtureServer> {
  const server = await compile(join(BENCH, "lib", "server.ts"));
  const child = spawn(process.execPath, [server], { stdio: ["pipe", "pipe", "inherit"] });
  const lines = createInterface({ input: child.stdout });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once("line", resolve);
    child.once("exit", (code) => reject(new Error(`fixture server exited with ${code}`)));
  });
  const { port, endMs }: { port: number; endMs: number } = JSON.parse(first);
  return {
    port,
    endMs,
    url: (rows, delay = 0) => `http://127.0.0.1:${port}/rows/${rows}/delay/${delay}`,
    stop: () =>
      new Promise((resolve) => {
        child.once("exit", () => resolve());
        child.stdin.end();
      }),
  };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  if (sorted.length === 0) throw new Error("median of no values");
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Round-robin order for round `r` of `n` variants, so that no variant always runs first. */
export function rotation(n: number, r: number): number[] {
  return Array.from({ length: n }, (_, i) => (i + r) % n);
}

export function fmt(value: number, digits = 0): string {
  return value.toLocaleString("en-US", {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

/** A line of the results table, as a part describes it. */
export interface RowInput {
  part: number | string;
  name: string;
  measured: string;
  baseline?: string;
  /** measured / baseline, in the direction where higher is better unless `max` is the target. */
  ratio?: number;
  /** The target as printed, e.g. "≥ 0.90×". */
  target?: string;
  /** The ratio must be at least this… */
  min?: number;
  /** …or at most this. */
  max?: number;
  /** What the result column says when there is no target ("info" when absent). */
  note?: string;
}

/** A line of the results table; `pass` is null when there is no target to check. */
export interface Row {
  part: number | string;
  name: string;
  measured: string;
  baseline: string;
  ratio: number | undefined;
  target: string;
  pass: boolean | null;
  note: string | undefined;
}

/** One line of the results table: its `ratio` checked against `min` or `max`, if any. */
export function row({
  part,
  name,
  measured,
  baseline = "—",
  ratio,
  target,
  min,
  max,
  note,
}: RowInput): Row {
  let pass: boolean | null = null;
  if (ratio !== undefined && Number.isFinite(ratio)) {
    if (min !== undefined) pass = ratio >= min;
    if (max !== undefined) pass = ratio <= max;
  }
  return { part, name, measured, baseline, ratio, target: target ?? "—", pass, note };
}

export function printTable(
  rows: readonly Row[],
  write = (line: string) => {
    process.stdout.write(`${line}\n`);
  },
): void {
  const header = ["#", "benchmark", "measured", "baseline", "ratio", "target", "result"];
  const cells = rows.map((r) => [
    String(r.part),
    r.name,
    r.measured,
    r.baseline,
    r.ratio === undefined ? "—" : `${fmt(r.ratio, 2)}×`,
    r.target,
    r.pass === null ? (r.note ?? "info") : r.pass ? "pass" : "MISS",
  ]);
  // Markdown, laid out the way biome formats it (so that RESULTS.md stays formatted).
  const widths = header.map((h, i) => Math.max(3, h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => `| ${c.map((v, i) => v.padEnd(widths[i]!)).join(" | ")} |`;
  write(line(header));
  write(line(widths.map((w) => "-".repeat(w))));
  for (const c of cells) write(line(c));
}
