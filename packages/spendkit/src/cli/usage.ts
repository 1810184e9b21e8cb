import type { CurrencyCode, ProviderName, UsageRow } from "@spendkit/ledger";
import {
  adapterOf,
  columns,
  compareText,
  formatMicros,
  padEnd,
  printable,
  truncate,
} from "@spendkit/ledger";
import { parse, parseProviders, parseWindow } from "./args.js";
import { DriftNotes, STRICT_HELP } from "./drift.js";
import { configure } from "./env.js";
import { type CliIO, note, reportFailures } from "./io.js";
import { PROVIDER_LIST, sourcesOf, wrap } from "./providers.js";

export const USAGE_HELP = `Usage: spendkit usage [options]

${wrap(`Spend per day (UTC) and per model across the configured providers, from their usage endpoints (${sourcesOf("usage")}), with requests and tokens where a provider reports them, as a table with totals per model and per day; when stdout is a terminal, a bar chart of the spend per day follows.`, 92)}

Options:
  --provider a,b      only these providers (${PROVIDER_LIST})
  --since DATE        start of the window (YYYY-MM-DD in UTC, or RFC 3339); default: 30 days
                      before --until
  --until DATE        end of the window, exclusive; default and at most: now
${STRICT_HELP}
  -h, --help          show this help

Environment: the same keys and base URLs as spendkit ledger (see spendkit ledger --help).
Exit codes: 0 ok; 1 a provider failed (the others are still shown); 2 bad usage.
`;

export async function usageCommand(args: readonly string[], io: CliIO): Promise<number> {
  const { values } = parse(
    args,
    {
      provider: { type: "string" },
      since: { type: "string" },
      until: { type: "string" },
      strict: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
    "usage",
  );
  if (values.help) {
    io.stdout.write(USAGE_HELP);
    return 0;
  }
  const providers = parseProviders(values.provider);
  const window = parseWindow(values, new Date(), 30);
  const drift = new DriftNotes(io);
  const { clients, names } = configure(io, providers, drift);
  const since = window.since!;
  for (const name of names.filter((name) => !adapterOf(name).usage)) {
    note(io, `${name}: ${adapterOf(name).displayName} reports balances only: no usage to show`);
  }
  const reporting = names.filter((name) => adapterOf(name).usage);
  const results = await Promise.allSettled(
    reporting.map((name) => adapterOf(name).usage!(clients[name], { since, until: window.until })),
  );
  const failures = new Map<ProviderName, unknown>();
  const rows: UsageRow[] = [];
  results.forEach((result, i) => {
    if (result.status === "fulfilled") rows.push(...result.value);
    else failures.set(reporting[i]!, result.reason);
  });
  io.stdout.write(
    renderUsage(rows, io.stdout.isTTY === true ? (io.stdout.columns ?? 80) : undefined),
  );
  return drift.exitCode(
    reportFailures(io, failures, "the usage of the others is shown"),
    values.strict,
  );
}

interface Cell {
  day: string;
  provider: string;
  model: string;
  micros: bigint;
  requests: number | undefined;
  tokens: number | undefined;
}

/**
 * The usage report: per day and model, per model, per day, and a bar chart when `chartWidth` is
 * set — once per currency, each section in its own currency (a sum never adds two).
 */
export function renderUsage(rows: readonly UsageRow[], chartWidth?: number): string {
  const currencies = [...new Set(rows.map((row) => row.currency))].sort(compareText);
  if (currencies.length === 0) return "(no usage in the window)\n";
  return currencies
    .map((currency) =>
      renderCurrency(
        rows.filter((row) => row.currency === currency),
        currency,
        chartWidth,
      ),
    )
    .join("\n");
}

function renderCurrency(
  rows: readonly UsageRow[],
  currency: CurrencyCode,
  chartWidth: number | undefined,
): string {
  const cells = new Map<string, Cell>();
  for (const row of rows) {
    const key = [row.day, row.provider, row.model].join("\u0000");
    const cell = cells.get(key) ?? {
      day: row.day,
      provider: row.provider,
      model: row.model,
      micros: 0n,
      requests: undefined,
      tokens: undefined,
    };
    cell.micros += row.micros;
    if (row.requests !== undefined) cell.requests = (cell.requests ?? 0) + row.requests;
    if (row.tokens !== undefined) cell.tokens = (cell.tokens ?? 0) + row.tokens;
    cells.set(key, cell);
  }
  const sorted = [...cells.values()].sort(
    (a, b) =>
      compareText(a.day, b.day) ||
      compareText(a.provider, b.provider) ||
      compareText(a.model, b.model),
  );
  if (sorted.length === 0) return "(no usage in the window)\n";

  const sum = (keyOf: (cell: Cell) => string) => {
    const sums = new Map<
      string,
      { micros: bigint; requests: number | undefined; tokens: number | undefined }
    >();
    for (const cell of sorted) {
      const key = keyOf(cell);
      const total = sums.get(key) ?? { micros: 0n, requests: undefined, tokens: undefined };
      total.micros += cell.micros;
      if (cell.requests !== undefined) total.requests = (total.requests ?? 0) + cell.requests;
      if (cell.tokens !== undefined) total.tokens = (total.tokens ?? 0) + cell.tokens;
      sums.set(key, total);
    }
    return sums;
  };
  const count = (requests: number | undefined) => (requests === undefined ? "" : String(requests));
  const label = (text: string) => truncate(printable(text), 48);

  const byDay = sum((cell) => cell.day);
  const byModel = sum((cell) => `${cell.provider}\u0000${cell.model}`);
  const total = sorted.reduce((acc, cell) => acc + cell.micros, 0n);
  let text = `Spend per day and model (${currency})\n`;
  text += columns(
    [
      ["DAY", "PROVIDER", "MODEL", "REQUESTS", "TOKENS", `SPEND ${currency}`],
      ...sorted.map((cell) => [
        cell.day,
        cell.provider,
        label(cell.model),
        count(cell.requests),
        count(cell.tokens),
        formatMicros(cell.micros),
      ]),
    ],
    [false, false, false, true, true, true],
  );
  text += `\nSpend per model (${currency})\n`;
  text += columns(
    [
      ["PROVIDER", "MODEL", "REQUESTS", "TOKENS", `SPEND ${currency}`],
      ...[...byModel]
        .sort(([, a], [, b]) => (a.micros === b.micros ? 0 : a.micros > b.micros ? -1 : 1))
        .map(([key, value]) => {
          const [provider = "", model = ""] = key.split("\u0000");
          return [
            provider,
            label(model),
            count(value.requests),
            count(value.tokens),
            formatMicros(value.micros),
          ];
        }),
      ["all", "", "", "", formatMicros(total)],
    ],
    [false, false, true, true, true],
  );
  text += `\nSpend per day (${currency})\n`;
  const days = [...byDay];
  text += columns(
    [
      ["DAY", `SPEND ${currency}`],
      ...days.map(([day, value]) => [day, formatMicros(value.micros)]),
    ],
    [false, true],
  );
  if (chartWidth !== undefined)
    text += `\n${barChart(
      days.map(([day, value]) => [day, value.micros]),
      chartWidth,
    )}`;
  return text;
}

/** Horizontal bars, one per day, scaled to the largest; exact amounts beside them. */
export function barChart(points: readonly [string, bigint][], width: number): string {
  let max = 0n; // bigint: Math.max does not apply
  for (const [, micros] of points) if (micros > max) max = micros;
  const amounts = points.map(([, micros]) => formatMicros(micros));
  const amountWidth = Math.max(...amounts.map((amount) => amount.length));
  const barWidth = Math.max(10, Math.min(60, width - 10 - 2 - amountWidth - 2));
  return points
    .map(([day, micros], i) => {
      const length = max > 0n && micros > 0n ? Number((micros * BigInt(barWidth * 8)) / max) : 0;
      const bar =
        "█".repeat(Math.floor(length / 8)) + (length % 8 ? "▏▎▍▌▋▊▉"[(length % 8) - 1] : "");
      return `${day}  ${padEnd(bar, barWidth)}  ${amounts[i]!.padStart(amountWidth)}\n`;
    })
    .join("");
}
