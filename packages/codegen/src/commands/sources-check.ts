// Have the provider docs changed since the specs were written from them?
//
//   pnpm sources:check [--update] [--dir DIR] [--timeout MS] [--origin-map FROM=TO ...]
//
// Fetches the origin recorded in each specs/sources/*.txt header (see specs/sources/README.md),
// compares it with the vendored copy and prints, per changed source, the spec operations it
// feeds and a unified diff.
//
//   exit 0   every source unchanged
//   exit 1   some changed (and every other source was checked)
//   exit 2   some could not be checked (unreachable, or a malformed header): this wins over 1,
//            the changed ones are listed all the same
//
//   --update            rewrite the changed vendored copies (a repository source: its Commit line)
//   --dir DIR           another sources directory (default specs/sources)
//   --timeout MS        per request (default 30000)
//   --origin-map F=T    ask origin T whenever a recorded URL's origin is F (the tests' loopback)
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { checkSource, type SourceResult } from "../sources/check.js";
import { parseSourceFile, type SourceFile } from "../sources/header.js";
import { formatReport } from "../sources/report.js";
import { writeAtomically } from "../sources/update.js";
import { REPO_ROOT } from "../spec/load.js";

const USAGE =
  "usage: pnpm sources:check [--update] [--dir DIR] [--timeout MS] [--origin-map FROM=TO ...]";
const EXIT = { unchanged: 0, changed: 1, notChecked: 2 } as const;

function fail(message: string): never {
  console.error(`sources:check: ${message}`);
  process.exit(EXIT.notChecked);
}

// Whatever else goes wrong (a missing directory, a failed write, a bug) must not end as exit 1,
// which says "changed".
process.on("uncaughtException", (error) => fail(error.stack ?? error.message));

function cli() {
  try {
    return parseArgs({
      options: {
        help: { type: "boolean", short: "h", default: false },
        update: { type: "boolean", default: false },
        dir: { type: "string", default: join(REPO_ROOT, "specs/sources") },
        timeout: { type: "string", default: "30000" },
        "origin-map": { type: "string", multiple: true, default: [] },
      },
    }).values;
  } catch (error) {
    fail(`${(error as Error).message}\n${USAGE}`);
  }
}

function originMap(pairs: string[]): Map<string, string> {
  return new Map(
    pairs.map((pair) => {
      const split = pair.indexOf("=");
      const [from, to] = [pair.slice(0, split), pair.slice(split + 1)];
      if (split < 0 || !URL.canParse(from) || !URL.canParse(to)) {
        fail(`--origin-map takes FROM=TO, two URLs; got ${pair}`);
      }
      return [new URL(from).origin, new URL(to).origin];
    }),
  );
}

const args = cli();
if (args.help) {
  console.log(USAGE);
  process.exit(EXIT.unchanged);
}
const timeoutMs = Number(args.timeout);
if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) fail(`--timeout takes milliseconds`);
const options = { timeoutMs, originMap: originMap(args["origin-map"]) };
const dir = resolve(process.env.INIT_CWD ?? process.cwd(), args.dir);

const names = readdirSync(dir)
  .filter((name) => name.endsWith(".txt"))
  .sort();
if (names.length === 0) fail(`no sources (*.txt) in ${dir}`);

function readSource(name: string): SourceFile {
  const text = readFileSync(join(dir, name), "utf8");
  try {
    return parseSourceFile(name, text);
  } catch (error) {
    return fail((error as Error).message);
  }
}

const files = names.map(readSource);
const results: SourceResult[] = await Promise.all(
  names.map((name, index) => checkSource(name, files[index]!, options)),
);

process.stdout.write(formatReport(results));
if (args.update) {
  for (const result of results) {
    if (result.status !== "changed") continue;
    writeAtomically(join(dir, result.name), result.updatedFile);
    console.log(`updated ${result.name}`);
  }
}

const unreachable = results.filter((result) => result.status === "unreachable");
if (unreachable.length > 0) {
  fail(
    `could not check ${unreachable.map((result) => result.name).join(", ")}: ` +
      "whether their docs changed is unknown",
  );
}
process.exit(results.some((result) => result.status === "changed") ? EXIT.changed : EXIT.unchanged);
