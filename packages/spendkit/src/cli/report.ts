import type { ReportData } from "@spendkit/report";
import type { Store } from "@spendkit/store";
import { buildReportData, reportChecks } from "../report-data.js";
import { parse, parseProviders, parseWindow, UsageError } from "./args.js";
import { type CliIO, note } from "./io.js";
import { openOut } from "./out.js";
import {
  type AccountScope,
  accountScope,
  narrow,
  READ_STORE_HELP,
  STORE_OPTIONS,
  type StoreModule,
  withStore,
} from "./store.js";

export const REPORT_HELP = `Usage: spendkit report --out FILE.html [options]

One self-contained HTML page of the stored ledger (spendkit sync fills it): daily spend per
account, each account's balance with a runway forecast, spend by model, top-ups, staff
adjustments, open audit events, reconciliation status and exact totals. Reads the store only:
no API call, no key needed. The page loads nothing and runs no script: it opens offline.

Balances come from the providers' balance after each entry where they report one, else from
the running sum of the stored entries that make up the balance, else from the balances
spendkit reconcile read. Reconciliation is as of the last spendkit reconcile. Every amount is
in its account's currency, and an account holding several currencies (a balance in yuan and
one in dollars) is shown once per currency: nothing adds one currency to another.

Options:
${READ_STORE_HELP}
  --out FILE          the HTML file to write, atomically (required)
  --since DATE        start, inclusive (YYYY-MM-DD in UTC, or RFC 3339); default: the day of
                      the first stored entry
  --until DATE        end, exclusive; default: now
  --provider a,b      only these providers
  --account a,b       only these accounts (by name)
  -h, --help          show this help
`;

/** Loads @spendkit/report (and, on its first render, Vega) only when a report is written. */
function loadReport(): Promise<typeof import("@spendkit/report")> {
  return import("@spendkit/report");
}

export async function reportCommand(args: readonly string[], io: CliIO): Promise<number> {
  const { values } = parse(
    args,
    {
      ...STORE_OPTIONS,
      out: { type: "string" },
      since: { type: "string" },
      until: { type: "string" },
      provider: { type: "string" },
      account: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    "report",
  );
  if (values.help) {
    io.stdout.write(REPORT_HELP);
    return 0;
  }
  if (values.out === undefined) {
    throw new UsageError("--out: required; name the HTML file to write (--out report.html)");
  }
  // The place is checked (and the temp file made) before the store is opened.
  const file = await openOut(io, values.out);
  try {
    const now = new Date();
    const window = parseWindow(values, now);
    const scope = accountScope(io, values.config);
    const filter = {
      providers: narrow(parseProviders(values.provider), scope?.providers),
      accounts: narrow(
        values.account
          ?.split(",")
          .map((name) => name.trim())
          .filter(Boolean),
        scope?.accounts,
      ),
      scope,
    };
    const data = await withStore(io, values.db, (store, module) =>
      collect(store, module, { window, now, ...filter }),
    );
    const { renderReport } = await loadReport();
    file.stream.write(await renderReport(data));
    await file.commit();
    // A report account is an account in one currency: an account in two is still one account.
    const accounts = new Set(data.accounts.map((a) => `${a.provider}/${a.name}`)).size;
    note(
      io,
      `wrote the report: ${accounts} account${accounts === 1 ? "" : "s"}, ${data.window.since} to ${data.window.until}`,
    );
    return 0;
  } finally {
    await file.abort();
  }
}

/** The report's figures, computed by the store over the window, named and judged here. */
async function collect(
  store: Store,
  module: StoreModule,
  options: {
    window: { since: Date | undefined; until: Date };
    now: Date;
    providers?: readonly string[] | undefined;
    accounts?: readonly string[] | undefined;
    scope: AccountScope | undefined;
  },
): Promise<ReportData> {
  const { scope, ...query } = options;
  const figures = await module.reportFigures(store, {
    ...query,
    include: scope && ((ref) => scope.includes(ref.provider, ref.account)),
    checks: reportChecks,
  });
  return buildReportData(figures, options.now);
}
