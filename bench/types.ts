// Part 5 — code generation and type checking.
// - `node scripts/generate.mjs --check`: the whole generation of every spec, in memory (it
//   writes nothing), timed as a subprocess; a stale tree only changes its exit code.
// - `tsc --extendedDiagnostics` on bench/types/consumer.ts (all three clients, as a user calls
//   them) and on consumer-openapi-fetch.ts (the same calls through plain openapi-fetch on the
//   same schemas): check time, instantiations, types. Alternating runs; medians.
import { type SpawnSyncReturns, spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { join } from "node:path";
import { BENCH, fmt, median, ROOT, type Row, type RunOptions, row } from "./lib/common.js";

const tsc = createRequire(join(ROOT, "package.json")).resolve("typescript/bin/tsc");

/** What `tsc --extendedDiagnostics` reports of one project that part 5 reads. */
interface Diagnostics {
  check: number;
  instantiations: number;
  types: number;
}

function time(args: string[]): { ms: number; child: SpawnSyncReturns<string> } {
  const start = performance.now();
  const child = spawnSync(process.execPath, args, { cwd: ROOT, encoding: "utf8" });
  return { ms: performance.now() - start, child };
}

function diagnostics(project: string): Diagnostics {
  const { child } = time([tsc, "-p", join(BENCH, "types", project), "--extendedDiagnostics"]);
  const value = (label: string) => {
    const match = new RegExp(`^${label}:\\s+([\\d.]+)`, "m").exec(child.stdout);
    return match ? Number(match[1]) : Number.NaN;
  };
  if (child.status !== 0) {
    const errors = child.stdout.split("\n").filter((line) => line.includes("error TS"));
    throw new Error(`tsc -p bench/types/${project} failed:\n${errors.join("\n")}`);
  }
  return {
    check: value("Check time") * 1000,
    instantiations: value("Instantiations"),
    types: value("Types"),
  };
}

export async function run({ quick = false }: RunOptions = {}): Promise<Row[]> {
  const out: Row[] = [];
  const generations: number[] = [];
  let stale = false;
  for (let i = 0; i < (quick ? 1 : 3); i++) {
    const { ms, child } = time([join(ROOT, "scripts", "generate.mjs"), "--check"]);
    generations.push(ms);
    stale ||= child.status !== 0;
  }
  out.push(
    row({
      part: 5,
      name: `codegen: generate --check (all specs)${stale ? " [tree is stale]" : ""}`,
      measured: `${fmt(median(generations))} ms`,
    }),
  );

  const spendkit: Diagnostics[] = [];
  const openapiFetch: Diagnostics[] = [];
  for (let i = 0; i < (quick ? 1 : 3); i++) {
    spendkit.push(diagnostics("tsconfig.json"));
    openapiFetch.push(diagnostics("tsconfig.openapi-fetch.json"));
  }
  const med = (runs: Diagnostics[], key: keyof Diagnostics) => median(runs.map((r) => r[key]));
  const pairs: [string, keyof Diagnostics, (value: number) => string][] = [
    ["check time", "check", (v) => `${fmt(v)} ms`],
    ["instantiations", "instantiations", (v) => fmt(v)],
    ["types", "types", (v) => fmt(v)],
  ];
  for (const [label, key, show] of pairs) {
    out.push(
      row({
        part: 5,
        name: `tsc, 3-client consumer, ${label}: spendkit vs openapi-fetch`,
        measured: show(med(spendkit, key)),
        baseline: show(med(openapiFetch, key)),
        ratio: med(spendkit, key) / med(openapiFetch, key),
      }),
    );
  }
  return out;
}
