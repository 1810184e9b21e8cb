// The benchmarks' own child processes (the fixture server, the export baselines, the RSS
// preload) run as plain JavaScript, not through tsx: tsx in a process costs it about 33 MiB of
// peak RSS and 0.2 s of start-up, which part 3 would charge to the baselines it measures.
// Each entry point is compiled once per run by esbuild (its local imports bundled, packages left
// as imports) into node_modules/.cache/spendkit-bench/, where packages resolve as they do from
// the repository root.
import { basename, dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const BENCH = fileURLToPath(new URL("..", import.meta.url));
const OUT = fileURLToPath(new URL("../../node_modules/.cache/spendkit-bench/", import.meta.url));
const compiled = new Map<string, Promise<string>>();

/** The plain JavaScript file (.mjs) compiled from `entry`, a TypeScript file under bench/. */
export function compile(entry: string): Promise<string> {
  let file = compiled.get(entry);
  if (!file) {
    const outfile = join(OUT, dirname(relative(BENCH, entry)), `${basename(entry, ".ts")}.mjs`);
    file = build({
      entryPoints: [entry],
      outfile,
      bundle: true,
      packages: "external",
      platform: "node",
      format: "esm",
      target: "node20",
      logLevel: "silent",
    }).then(() => outfile);
    compiled.set(entry, file);
  }
  return file;
}
