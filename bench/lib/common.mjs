// Shared by the benchmark parts: paths, the fixture server, statistics and the results table.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath, pathToFileURL } from "node:url";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const BENCH = join(ROOT, "bench");

/** Imports a package the way a workspace package sees it (e.g. openapi-fetch as core does). */
export async function importFrom(packageDir, name) {
  const require = createRequire(join(ROOT, packageDir, "package.json"));
  const manifestPath = require.resolve(`${name}/package.json`);
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
  const entry = manifest.exports?.["."]?.import ?? manifest.module ?? manifest.main;
  return import(pathToFileURL(join(dirname(manifestPath), entry)).href);
}

/** Imports a workspace package's built ESM entry (packages/<name>/dist/index.js). */
export function importBuilt(name) {
  return import(pathToFileURL(join(ROOT, "packages", name, "dist", "index.js")).href);
}

/** Starts bench/lib/server.mjs in its own process. */
export async function startServer() {
  const child = spawn(process.execPath, [join(BENCH, "lib", "server.mjs")], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const lines = createInterface({ input: child.stdout });
  const first = await new Promise((resolve, reject) => {
    lines.once("line", resolve);
    child.once("exit", (code) => reject(new Error(`fixture server exited with ${code}`)));
  });
  const { port, endMs } = JSON.parse(first);
  return {
    port,
    endMs,
    /** The base URL of a dataset of `rows` rows with `delay` ms of latency per response. */
    url: (rows, delay = 0) => `http://127.0.0.1:${port}/rows/${rows}/delay/${delay}`,
    stop: () =>
      new Promise((resolve) => {
        child.once("exit", resolve);
        child.stdin.end();
      }),
  };
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Round-robin order for round `r` of `n` variants, so that no variant always runs first. */
export function rotation(n, r) {
  return Array.from({ length: n }, (_, i) => (i + r) % n);
}

export function fmt(value, digits = 0) {
  return value.toLocaleString("en-US", {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

export function bytes(n) {
  return n >= 1024 * 1024 ? `${fmt(n / 1024 / 1024, 1)} MiB` : `${fmt(n / 1024, 2)} kB`;
}

/**
 * One line of the results table. `ratio` is measured / baseline in the direction where higher
 * is better unless `lowerIsBetter`; `target` is checked against it.
 */
export function row({ part, name, measured, baseline = "—", ratio, target, min, max, note }) {
  let pass = null;
  if (ratio !== undefined && ratio !== null && Number.isFinite(ratio)) {
    if (min !== undefined) pass = ratio >= min;
    if (max !== undefined) pass = ratio <= max;
  }
  return { part, name, measured, baseline, ratio, target: target ?? "—", pass, note };
}

export function printTable(rows, write = (line) => process.stdout.write(`${line}\n`)) {
  const header = ["#", "benchmark", "measured", "baseline", "ratio", "target", "result"];
  const cells = rows.map((r) => [
    String(r.part),
    r.name,
    r.measured,
    r.baseline,
    r.ratio === undefined || r.ratio === null ? "—" : `${fmt(r.ratio, 2)}×`,
    r.target,
    r.pass === null ? (r.note ?? "info") : r.pass ? "pass" : "MISS",
  ]);
  // Markdown, laid out the way biome formats it (so that RESULTS.md stays formatted).
  const widths = header.map((h, i) => Math.max(3, h.length, ...cells.map((c) => c[i].length)));
  const line = (c) => `| ${c.map((v, i) => v.padEnd(widths[i])).join(" | ")} |`;
  write(line(header));
  write(line(widths.map((w) => "-".repeat(w))));
  for (const c of cells) write(line(c));
}
