import { adapterOf, columns, printable, providerNames } from "@spendkit/ledger";
import type { LiveBalance, ReconcileBreak, ReconcileReport } from "@spendkit/store";
import { accountClient, loadAccounts, selectAccounts } from "../config.js";
import { readBalances } from "../sync/run.js";
import { parse, parseProviders } from "./args.js";
import { DriftNotes, STRICT_HELP } from "./drift.js";
import { type CliIO, note, reportFailures } from "./io.js";
import { wrap } from "./providers.js";
import { loadStore, openCliStore, STORE_HELP, STORE_OPTIONS } from "./store.js";

export const RECONCILE_HELP = `Usage: spendkit reconcile [options]

Checks each account's stored entries against each other and against the provider's balance
now, exactly, as far as the provider's records allow:
${checksHelp()}
Each break is printed with the rows around it and recorded as an audit event (spendkit audit);
staff adjustments (credits and debits) are recorded as audit events too. Asks each provider for
its balances (run spendkit sync first, so that the store is current) and records each, one per
currency. The checks compare the balance in the currency of the account's entries; a provider
that reports none in it is a break. An account with no entries (a provider that reports
balances only) has its balances recorded and nothing checked.

Options:
${STORE_HELP}
  --provider a,b      only the accounts of these providers
  --account a,b       only these accounts (name or provider/name)
${STRICT_HELP}
  -h, --help          show this help

Exit codes: 0 everything adds up; 1 a break was found, a provider failed, or (--strict) an
answer drifted from its spec; 2 bad usage.
`;

/** One line per provider: the checks its adapter asks for, in words. */
function checksHelp(): string {
  const width = Math.max(...providerNames.map((name) => adapterOf(name).displayName.length)) + 2;
  return providerNames
    .map((name) => {
      const adapter = adapterOf(name);
      const checks = adapter.reconcile ?? {};
      const said = [
        checks.runningBalance &&
          "each balance after = the previous one + the amount, and the last = the live balance",
        checks.balanceIsSumOf &&
          `the live balance = the sum of its ${checks.balanceIsSumOf.join(", ")} entries (once the whole history is stored)`,
      ].filter(Boolean);
      const text = said.length ? said.join("; ") : "nothing to check";
      return wrap(`  ${adapter.displayName.padEnd(width)}${text}`, 96, " ".repeat(width + 2));
    })
    .join("\n");
}

export async function reconcileCommand(args: readonly string[], io: CliIO): Promise<number> {
  const { values } = parse(
    args,
    {
      ...STORE_OPTIONS,
      provider: { type: "string" },
      account: { type: "string" },
      strict: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
    "reconcile",
  );
  if (values.help) {
    io.stdout.write(RECONCILE_HELP);
    return 0;
  }
  const accounts = selectAccounts(loadAccounts(io, values.config), {
    providers: parseProviders(values.provider),
    accounts: values.account
      ?.split(",")
      .map((name) => name.trim())
      .filter(Boolean),
  });
  const drift = new DriftNotes(io);
  const jobs = accounts.map((account) => ({
    account,
    client: accountClient(io, account, { onDrift: drift.report }),
  }));
  const module = await loadStore();
  const store = await openCliStore(io, module, values.db);
  const failures = new Map<string, unknown>();
  let breaks = 0;
  try {
    for (const { account, client } of jobs) {
      const adapter = adapterOf(account.provider);
      const label = `${account.provider}/${account.name}`;
      if (!adapter.balance) {
        io.stdout.write(
          `${label}: no balance to reconcile with (${adapter.displayName} reports costs, not a balance)\n`,
        );
        continue;
      }
      let live: LiveBalance[];
      try {
        live = await readBalances(account, client);
      } catch (error) {
        failures.set(label, error);
        continue;
      }
      const report = await module.reconcileAccount(
        store,
        { provider: account.provider, account: account.name },
        adapter.reconcile ?? {},
        live,
      );
      breaks += breakCount(report);
      io.stdout.write(describeReport(label, live, report));
    }
  } finally {
    await store.close();
  }
  if (breaks > 0) note(io, `${breaks} break${breaks === 1 ? "" : "s"} found (see spendkit audit)`);
  const code = Math.max(
    breaks > 0 ? 1 : 0,
    reportFailures(io, failures, "the others were checked"),
  );
  return drift.exitCode(code, values.strict);
}

/** Every break found, also the running-balance breaks beyond the ones reported with rows. */
function breakCount(report: ReconcileReport): number {
  const running = report.breaks.filter((b) => b.check === "running_balance").length;
  return report.breaks.length - running + report.runningBalanceBreaks;
}

/** What reconcile prints for one account: its balances, what was checked, and each break. */
export function describeReport(
  label: string,
  live: readonly LiveBalance[],
  report: ReconcileReport,
): string {
  const count = breakCount(report);
  const balances = live.length
    ? live.map((b) => `${b.balance} ${b.currency}`).join(", ")
    : "none reported";
  const lines = [`${label}: balance ${balances}; ${outcome(live, report, count)}`];
  const unlisted = count - report.breaks.length;
  if (unlisted > 0) {
    lines.push(
      `  the running balance breaks at ${unlisted} more entries after the ones below (the first are shown and recorded)`,
    );
  }
  for (const skipped of report.skipped)
    lines.push(`  ${skipped.check} not checked: ${skipped.reason}`);
  if (report.newAdjustments) {
    lines.push(`  ${report.newAdjustments} new staff adjustment(s) recorded as audit events`);
  }
  for (const b of report.breaks) {
    lines.push(`  ${describeBreak(b)}`);
    if (b.rows.length) {
      const table = columns(
        [
          ["TIME", "ID", "KIND", "AMOUNT", "BALANCE AFTER"],
          ...b.rows.map((r) => [r.time, printable(r.id), r.kind, r.amount, r.balanceAfter ?? ""]),
        ],
        [false, false, false, true, true],
      );
      lines.push(
        ...table
          .trimEnd()
          .split("\n")
          .map((line) => `    ${line}`),
      );
    }
  }
  return `${lines.join("\n")}\n`;
}

/**
 * What was checked, and in which currency where the provider reported others too (or not the
 * account's): only the balance in the currency of the account's entries is compared.
 */
function outcome(live: readonly LiveBalance[], report: ReconcileReport, breaks: number): string {
  if (report.currency === undefined) {
    return live.length ? "balances recorded (no entries to check)" : "no entries to check";
  }
  if (report.ran.length === 0) return "no check applies";
  const onlyLedger = live.length === 1 && live[0]!.currency === report.currency;
  const checked = `checked ${report.ran.join(", ")}${onlyLedger ? "" : ` in ${report.currency}`}`;
  return `${checked}: ${breaks ? `${breaks} break(s)` : "ok"}`;
}

function describeBreak(b: ReconcileBreak): string {
  const money = (amount: string) => `${amount} ${b.currency}`;
  switch (b.check) {
    case "running_balance":
      return `break at entry ${printable(b.entryId ?? "")}: balance after should be ${b.expected}, the provider says ${b.actual}`;
    case "last_balance":
      return b.actual === undefined
        ? `the provider reports no balance in ${b.currency} (the last balance after is ${money(b.expected)})`
        : `the last balance after (${money(b.expected)}) differs from the balance now (${money(b.actual)})`;
    case "sum":
      return b.actual === undefined
        ? `the provider reports no balance in ${b.currency} (the entries add up to ${money(b.expected)})`
        : `the entries add up to ${money(b.expected)}, the balance now is ${money(b.actual)}`;
  }
}
