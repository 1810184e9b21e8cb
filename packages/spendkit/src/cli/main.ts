import { readFileSync } from "node:fs";
import { UsageError } from "./args.js";
import { BALANCE_HELP, balanceCommand } from "./balance.js";
import { DEMO_HELP, demoCommand } from "./demo.js";
import { type CliIO, note } from "./io.js";
import { LEDGER_HELP, ledgerCommand } from "./ledger.js";
import { DISPLAY_NAMES, keyVariables, wrap } from "./providers.js";
import { STORE_COMMANDS } from "./store-commands.js";
import { USAGE_HELP, usageCommand } from "./usage.js";

export const HELP = `Usage: spendkit <command> [options]

${wrap(`One exact ledger of the money you spend on AI inference platforms (${DISPLAY_NAMES}).`)}

Commands:
  ledger     every wallet movement, oldest first: table, CSV, JSON Lines or FOCUS 1.2 CSV
  balance    the balance available now at each provider
  usage      spend per day and per model
  demo       all of the above against local Prism mocks (no key needed)

With the store (a local PGlite directory, or PostgreSQL with --db postgres://...):
  sync       fetch what is new in each account into the store
  export     the stored ledger as CSV, JSON Lines or FOCUS (no API call)
  status     per account: last sync, rows, high-water mark, open audit events
  audit      changed, vanished and adjusted entries, and reconciliation breaks
  reconcile  check the stored entries against the providers' balances
  report     a self-contained HTML report of the stored spend, with charts (no API call)
  alerts     evaluate the budgets, balance floors and spike rules, and send what is new
  serve      sync on a schedule, serve Prometheus metrics and a JSON read API
  copy       copy the store as it is into another, empty one (say, into PostgreSQL)

Options:
  -h, --help       show this help (spendkit <command> --help for a command's)
  -v, --version    show the version

${wrap(`Keys come from the environment only: ${keyVariables()}; providers without a key are skipped.`)}
`;

const COMMANDS: Record<
  string,
  { help: string; run: (args: readonly string[], io: CliIO) => Promise<number> }
> = {
  ledger: { help: LEDGER_HELP, run: ledgerCommand },
  balance: { help: BALANCE_HELP, run: balanceCommand },
  usage: { help: USAGE_HELP, run: usageCommand },
  demo: { help: DEMO_HELP, run: demoCommand },
  ...STORE_COMMANDS,
};

export function version(): string {
  for (const candidate of ["../package.json", "../../package.json"]) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(candidate, import.meta.url), "utf8"));
      if (pkg.name === "spendkit") return String(pkg.version);
    } catch {
      // try the next location (dist/ and src/cli/ differ in depth)
    }
  }
  return "unknown";
}

/** Runs the CLI; resolves with the exit code. */
export async function main(argv: readonly string[], io: CliIO): Promise<number> {
  const [first, ...rest] = argv;
  try {
    if (first === undefined) {
      io.stderr.write(HELP);
      return 2;
    }
    if (first === "-h" || first === "--help" || first === "help") {
      const topic = first === "help" ? rest[0] : undefined;
      io.stdout.write(topic && COMMANDS[topic] ? COMMANDS[topic].help : HELP);
      return 0;
    }
    if (first === "-v" || first === "--version") {
      io.stdout.write(`${version()}\n`);
      return 0;
    }
    const command = Object.hasOwn(COMMANDS, first) ? COMMANDS[first] : undefined;
    if (!command) {
      // The argument is not repeated: it may be a key pasted in the wrong place.
      throw new UsageError(
        first.startsWith("-")
          ? "unknown option (run spendkit --help)"
          : `unknown command; commands: ${Object.keys(COMMANDS).join(", ")} (run spendkit --help)`,
      );
    }
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      note(io, error.message);
      return 2;
    }
    note(
      io,
      `failed: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
    );
    return 1;
  }
}
