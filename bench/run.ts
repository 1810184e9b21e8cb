// `pnpm bench`: builds the packages (turbo), runs every part, prints one table of ratios.
//
//   pnpm bench [part ...] [--quick] [--no-build] [--write] [--large ROWS]
//   (= node --import tsx bench/run.ts …: the benchmarks are TypeScript, run by tsx as they are)
//
//   part        1 overhead · 2 http · 3 export · 4 size · 5 types · 6 store (default: all, in that order)
//   --quick     fewer rounds and smaller exports: a smoke test of the harness, not results
//   --no-build  use the dist/ folders as they are
//   --write     also put the table and the machine's description into bench/RESULTS.md
//   --large N   rows of part 6's largest PostgreSQL history (default 1,000,000; 10,000,000 takes
//               about 20 minutes more and 10 GB of disk)
//
// Benchmarks are not tests: a missed target is printed (MISS) and the exit code stays 0. The
// exit code is 1 only when a part could not run at all (an error, shown in the table).
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, freemem, loadavg, totalmem } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { BENCH, fmt, type Part, printTable, ROOT, type Row, row } from "./lib/common.js";

/** Each part's title and module, imported only when the part runs. */
const PARTS: Record<string, [title: string, load: () => Promise<Part>]> = {
  1: ["per-call overhead (stubbed fetch)", () => import("./overhead.js")],
  2: ["paging over loopback HTTP", () => import("./http.js")],
  3: ["export (CLI) and prefetching", () => import("./export.js")],
  4: ["bundle size", () => import("./size.js")],
  5: ["codegen and type checking", () => import("./types.js")],
  6: ["the store at scale: sync, export, report, reconcile, status", () => import("./store.js")],
};

const { values: flags, positionals } = parseArgs({
  // `pnpm bench -- --quick` may pass the "--" through.
  args: process.argv.slice(2).filter((arg) => arg !== "--"),
  allowPositionals: true,
  options: {
    quick: { type: "boolean", default: false },
    "no-build": { type: "boolean", default: false },
    write: { type: "boolean", default: false },
    large: { type: "string" },
  },
});
const largeRows = flags.large === undefined ? undefined : Number(flags.large);
if (largeRows !== undefined && !(Number.isSafeInteger(largeRows) && largeRows >= 100_000)) {
  console.error(`--large takes a whole number of rows, at least 100000, not "${flags.large}"`);
  process.exit(2);
}
const selected = positionals.length ? positionals : Object.keys(PARTS);
for (const part of selected) {
  if (!PARTS[part]) {
    console.error(`unknown part "${part}"; parts: ${Object.keys(PARTS).join(", ")}`);
    process.exit(2);
  }
}

function machine(): {
  cpus: number;
  cpuModel: string;
  memory: string;
  free: string | undefined;
  node: string;
  platform: string;
} {
  const cpuModel = (() => {
    try {
      const match = /^model name\s*:\s*(.+)$/m.exec(readFileSync("/proc/cpuinfo", "utf8"));
      if (match) return match[1]!.trim();
    } catch {}
    return cpus()[0]?.model ?? "unknown";
  })();
  const free = spawnSync("free", ["-h"], { encoding: "utf8" });
  return {
    cpus: availableParallelism(),
    cpuModel,
    memory: `${fmt(totalmem() / 2 ** 30, 1)} GiB total, ${fmt(freemem() / 2 ** 30, 1)} GiB free`,
    free: free.status === 0 ? free.stdout.trimEnd() : undefined,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
}

const load = () =>
  loadavg()
    .map((v) => v.toFixed(2))
    .join(" ");
const started = Date.now();
const host = machine();
const header = [
  `machine: ${host.cpus} CPUs (${host.cpuModel}), ${host.memory}, Node ${host.node}, ${host.platform}`,
  `load average at start: ${load()}${flags.quick ? "   (--quick: a smoke test, not results)" : ""}`,
];
for (const line of header) console.log(line);

if (!flags["no-build"]) {
  console.log("\nbuilding: turbo run build …");
  const turbo = join(ROOT, "node_modules", ".bin", "turbo");
  const build = spawnSync(turbo, ["run", "build", "--output-logs=errors-only", "--continue"], {
    cwd: ROOT,
    stdio: ["ignore", "inherit", "inherit"],
  });
  if (build.status !== 0) {
    console.log("warning: the build failed (see above); parts that need a missing dist/ fail");
  }
}

const rows: Row[] = [];
let errors = 0;
for (const part of selected) {
  const [title, load] = PARTS[part]!;
  const start = performance.now();
  process.stdout.write(`\n[${part}] ${title} …`);
  try {
    const module = await load();
    rows.push(...(await module.run({ quick: flags.quick, ...(largeRows ? { largeRows } : {}) })));
    process.stdout.write(` ${fmt((performance.now() - start) / 1000, 1)} s\n`);
  } catch (error) {
    errors++;
    process.stdout.write(" ERROR\n");
    console.error(error);
    rows.push(
      row({
        part,
        name: title,
        measured: `error: ${String(error instanceof Error ? error.message : error).split("\n")[0]}`,
        note: "ERROR",
      }),
    );
  }
}

const footer = [
  "ratio = measured / baseline. Throughputs (ops/s, rows/s): higher is better, targets ≥.",
  "Times, sizes, memory, tsc figures: lower is better, targets ≤. Each is a median over rounds.",
  `load average at end: ${load()}; wall time ${fmt((Date.now() - started) / 1000)} s`,
];
console.log("");
const lines: string[] = [];
printTable(rows, (line) => lines.push(line));
for (const line of lines) console.log(line);
console.log("");
for (const line of footer) console.log(line);
const missed = rows.filter((r) => r.pass === false).length;
console.log(
  `${rows.filter((r) => r.pass === true).length} targets met, ${missed} missed${errors ? `, ${errors} parts failed` : ""}.`,
);

if (flags.write) {
  const file = join(BENCH, "RESULTS.md");
  const block = [
    "<!-- bench:results:start (written by `pnpm bench --write`) -->",
    `Run of ${new Date(started).toISOString().slice(0, 16).replace("T", " ")} UTC${flags.quick ? " (--quick)" : ""}, parts ${selected.join(", ")}.`,
    "",
    "```",
    ...header,
    ...(host.free ? ["", "$ free -h", host.free] : []),
    "```",
    "",
    ...lines,
    "",
    ...footer.map((line, i) => (i < footer.length - 1 ? `${line}  ` : line)),
    "<!-- bench:results:end -->",
  ].join("\n");
  const text = existsSync(file) ? readFileSync(file, "utf8") : "# Benchmark results\n\n";
  const pattern = /<!-- bench:results:start[\s\S]*?<!-- bench:results:end -->/;
  writeFileSync(file, pattern.test(text) ? text.replace(pattern, block) : `${text}\n${block}\n`);
  console.log(`wrote ${file}`);
}
process.exitCode = errors ? 1 : 0;
