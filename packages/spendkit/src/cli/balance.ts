import type { ProviderName } from "@spendkit/ledger";
import {
  adapterOf,
  type CurrencyCode,
  columns,
  formatMicros,
  PerCurrency,
  parseDecimal,
} from "@spendkit/ledger";
import { accountClient, loadAccounts, selectAccounts } from "../config.js";
import { parse, parseProviders, UsageError } from "./args.js";
import { DriftNotes, STRICT_HELP } from "./drift.js";
import { type CliIO, reportFailures } from "./io.js";
import { PROVIDER_LIST, sourcesOf, wrap } from "./providers.js";

export const BALANCE_HELP = `Usage: spendkit balance [options]

The balance available now at each configured account, exact, one line per account and currency
(an account may hold several), and a total per currency: amounts in different currencies are
never added together, and nothing is converted.
${wrap(`${sourcesOf("balance")}.`, 92)}

Options:
  --provider a,b      only these providers (${PROVIDER_LIST})
  --account a,b       only these accounts (name or provider/name)
  --config FILE       the accounts (default: spendkit.config.json if present, else one account
                      per provider whose key variable is set, named after the provider)
  --format F          table (default) or json: one object per account and currency,
                      { provider, account, currency, balance }, the balance an exact decimal
                      string
${STRICT_HELP}
  -h, --help          show this help

Environment: the same keys and base URLs as spendkit ledger (see spendkit ledger --help).
Exit codes: 0 ok; 1 a provider failed (the others are still shown); 2 bad usage.
`;

/** One account's client, as the balance is asked of it. */
export interface BalanceJob {
  provider: ProviderName;
  account: string;
  client: unknown;
}

/** One account's balance in one currency: what `--format json` writes, one object each. */
export interface BalanceRow {
  provider: ProviderName;
  account: string;
  currency: CurrencyCode;
  /** Exact decimal text in the currency's unit. */
  balance: string;
}

export interface Balances {
  rows: BalanceRow[];
  /** Accounts whose provider has no balance API (a cost report), as `provider/account`. */
  withoutBalance: string[];
  /** Failures by `provider/account`. */
  failures: Map<string, unknown>;
}

const FORMATS = ["table", "json"] as const;

export async function balanceCommand(args: readonly string[], io: CliIO): Promise<number> {
  const { values } = parse(
    args,
    {
      provider: { type: "string" },
      account: { type: "string" },
      config: { type: "string" },
      format: { type: "string" },
      strict: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
    "balance",
  );
  if (values.help) {
    io.stdout.write(BALANCE_HELP);
    return 0;
  }
  const format = values.format ?? "table";
  if (!(FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`--format: "${format}" is not one of ${FORMATS.join(", ")}`);
  }
  const providers = parseProviders(values.provider);
  const accounts = selectAccounts(loadAccounts(io, values.config), {
    providers,
    accounts: values.account
      ?.split(",")
      .map((name) => name.trim())
      .filter(Boolean),
  });
  for (const provider of providers ?? []) {
    if (!accounts.some((account) => account.provider === provider)) {
      throw new UsageError(
        `${provider} was requested but no account of it is configured (set ${adapterOf(provider).env.apiKey}, or add one to the config file)`,
      );
    }
  }
  if (accounts.length === 0) {
    throw new UsageError(
      "no account is configured: set a provider's key variable (see spendkit ledger --help) or write spendkit.config.json (or try spendkit demo)",
    );
  }
  const drift = new DriftNotes(io);
  const jobs = accounts.map((account) => ({
    provider: account.provider,
    account: account.name,
    client: accountClient(io, account, { onDrift: drift.report }),
  }));
  const result = await fetchBalances(jobs);
  io.stdout.write(format === "json" ? balanceJson(result.rows) : balanceTable(result));
  return drift.exitCode(
    reportFailures(io, result.failures, "the balances of the others are shown"),
    values.strict,
  );
}

/** Every account's balances, asked at once; failures apart, the others kept. */
export async function fetchBalances(jobs: readonly BalanceJob[]): Promise<Balances> {
  const results = await Promise.allSettled(
    jobs.map((job) => adapterOf(job.provider).balance?.(job.client) ?? Promise.resolve(undefined)),
  );
  const balances: Balances = { rows: [], withoutBalance: [], failures: new Map() };
  results.forEach((result, i) => {
    const { provider, account } = jobs[i]!;
    const label = `${provider}/${account}`;
    if (result.status === "rejected") balances.failures.set(label, result.reason);
    else if (result.value === undefined) balances.withoutBalance.push(label);
    else {
      for (const { currency, micros } of result.value) {
        balances.rows.push({ provider, account, currency, balance: formatMicros(micros) });
      }
    }
  });
  return balances;
}

/**
 * An aligned table: a line per account and currency, then a total per currency (of the accounts
 * that answered, when some failed). Accounts without a balance API and failures get a line.
 */
export function balanceTable({ rows, withoutBalance, failures }: Balances): string {
  const totals = new PerCurrency();
  const lines = rows.map((row) => {
    totals.add(row.currency, parseDecimal(row.balance));
    return [row.provider, row.account, row.currency, row.balance];
  });
  for (const label of withoutBalance) lines.push([...split(label), "", "(no balance API)"]);
  for (const label of failures.keys()) lines.push([...split(label), "", "(failed)"]);
  const total = failures.size ? "total (of those shown)" : "total";
  for (const [currency, micros] of totals.entries()) {
    lines.push([total, "", currency, formatMicros(micros)]);
  }
  return columns(
    [["PROVIDER", "ACCOUNT", "CURRENCY", "AVAILABLE"], ...lines],
    [false, false, false, true],
  );
}

/** A JSON array for scripts and services; the balances exact decimal strings. */
export function balanceJson(rows: readonly BalanceRow[]): string {
  return `${JSON.stringify(rows, null, 2)}\n`;
}

function split(label: string): [string, string] {
  const slash = label.indexOf("/");
  return [label.slice(0, slash), label.slice(slash + 1)];
}
