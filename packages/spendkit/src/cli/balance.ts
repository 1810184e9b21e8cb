import { adapterOf } from "../adapters/index.js";
import { formatMicros } from "../money.js";
import type { LedgerClients, ProviderName } from "../types.js";
import { columns } from "../writers/text.js";
import { parse, parseProviders } from "./args.js";
import { DriftNotes, STRICT_HELP } from "./drift.js";
import { configure } from "./env.js";
import { type CliIO, reportFailures } from "./io.js";
import { PROVIDER_LIST, sourcesOf, wrap } from "./providers.js";

export const BALANCE_HELP = `Usage: spendkit balance [options]

The balance available now at each configured provider, in USD (exact), and their sum.
${wrap(`${sourcesOf("balance")}.`, 92)}

Options:
  --provider a,b      only these providers (${PROVIDER_LIST})
${STRICT_HELP}
  -h, --help          show this help

Environment: the same keys and base URLs as spendkit ledger (see spendkit ledger --help).
Exit codes: 0 ok; 1 a provider failed (the others are still shown); 2 bad usage.
`;

export async function balanceCommand(args: readonly string[], io: CliIO): Promise<number> {
  const { values } = parse(
    args,
    {
      provider: { type: "string" },
      strict: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
    "balance",
  );
  if (values.help) {
    io.stdout.write(BALANCE_HELP);
    return 0;
  }
  const drift = new DriftNotes(io);
  const { clients, names } = configure(io, parseProviders(values.provider), drift);
  const { table, failures } = await balances(clients, names);
  io.stdout.write(table);
  return drift.exitCode(
    reportFailures(io, failures, "the balances of the others are shown"),
    values.strict,
  );
}

/** Every provider's balance, fetched at once, as an aligned table; failures apart. */
export async function balances(
  clients: LedgerClients,
  names: readonly ProviderName[],
): Promise<{ table: string; failures: Map<ProviderName, unknown> }> {
  // A provider whose API has no balance (a cost report) is shown as such, not as a failure.
  const results = await Promise.allSettled(
    names.map((name) => adapterOf(name).balance?.(clients[name]) ?? Promise.resolve(undefined)),
  );
  const failures = new Map<ProviderName, unknown>();
  const rows: string[][] = [];
  let total = 0n;
  results.forEach((result, i) => {
    const name = names[i]!;
    if (result.status === "fulfilled") {
      const balance = result.value;
      if (balance === undefined) {
        rows.push([name, "(no balance API)"]);
      } else {
        total += balance;
        rows.push([name, formatMicros(balance)]);
      }
    } else {
      failures.set(name, result.reason);
      rows.push([name, "(failed)"]);
    }
  });
  rows.push([failures.size ? "total (of those shown)" : "total", formatMicros(total)]);
  return { table: columns([["PROVIDER", "AVAILABLE USD"], ...rows], [false, true]), failures };
}
