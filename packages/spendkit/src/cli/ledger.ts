import type {
  LedgerClients,
  LedgerEntry,
  LedgerWriter,
  Output,
  ProviderName,
} from "@spendkit/ledger";
import {
  adapterOf,
  balanceOnlyNote,
  createCsvWriter,
  createFocusWriter,
  createJsonLinesWriter,
  createTableWriter,
  ledgerPages,
} from "@spendkit/ledger";
import { parse, parseProviders, parseWindow, UsageError } from "./args.js";
import { DriftNotes, STRICT_HELP } from "./drift.js";
import { configure } from "./env.js";
import { type CliIO, note, reportFailures } from "./io.js";
import { openOut } from "./out.js";
import { Progress } from "./progress.js";
import { baseUrlVariables, keyVariables, PROVIDER_LIST, wrap } from "./providers.js";

export const LEDGER_HELP = `Usage: spendkit ledger [options]

Every wallet movement across the configured providers, oldest first, with exact amounts in each
entry's currency (credit positive, spend negative) and totals by provider, kind and currency
(amounts in different currencies are never added). A provider that reports balances only
(DeepSeek) has no entries: it is named on stderr, and spendkit balance shows it.

Options:
${wrap(`  --provider a,b      only these providers (${PROVIDER_LIST}); default: every provider whose key is set (the others are skipped with a note)`, 92, "                      ")}
  --since DATE        start of the window, inclusive (YYYY-MM-DD in UTC, or RFC 3339);
                      default: the beginning of each account
  --until DATE        end of the window, exclusive; default and at most: now
  --format FORMAT     table (default), csv, jsonl or focus (FOCUS 1.2 CSV); with --out and
                      no --format, taken from the file name (.csv, .jsonl, .focus.csv)
  --out FILE          write to FILE atomically (a temp file renamed when complete)
${STRICT_HELP}
  -h, --help          show this help

Environment (keys are never read from the command line):
${wrap(`  ${keyVariables()}`, 92, "  ")}
${wrap(`  ${baseUrlVariables()} override the API URLs`, 92, "  ")}

Exit codes: 0 ok; 1 a provider failed (the others' rows are still written, and the failure is
summarised on stderr); 2 bad usage (nothing was requested).
`;

export const FORMATS = ["table", "csv", "jsonl", "focus"] as const;
export type Format = (typeof FORMATS)[number];

const WRITERS: Record<Format, (out: Output) => LedgerWriter> = {
  table: (out) => createTableWriter(out),
  csv: (out) => createCsvWriter(out),
  jsonl: (out) => createJsonLinesWriter(out),
  focus: (out) => createFocusWriter(out),
};

function formatOf(format: string | undefined, out: string | undefined): Format {
  if (format !== undefined) {
    if (!(FORMATS as readonly string[]).includes(format)) {
      throw new UsageError(`--format: unknown format; use ${FORMATS.join(", ")}`);
    }
    return format as Format;
  }
  const name = out?.toLowerCase() ?? "";
  if (name.endsWith(".focus.csv")) return "focus";
  if (name.endsWith(".csv")) return "csv";
  if (name.endsWith(".jsonl") || name.endsWith(".ndjson")) return "jsonl";
  return "table";
}

export async function ledgerCommand(args: readonly string[], io: CliIO): Promise<number> {
  const { values } = parse(
    args,
    {
      provider: { type: "string" },
      since: { type: "string" },
      until: { type: "string" },
      format: { type: "string" },
      out: { type: "string" },
      strict: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
    "ledger",
  );
  if (values.help) {
    io.stdout.write(LEDGER_HELP);
    return 0;
  }
  const format = formatOf(values.format, values.out);
  const providers = parseProviders(values.provider);
  const window = parseWindow(values, new Date());
  const drift = new DriftNotes(io);
  const { clients, names } = configure(io, providers, drift);
  const file = values.out === undefined ? undefined : await openOut(io, values.out);
  let result: Awaited<ReturnType<typeof exportLedger>>;
  try {
    result = await exportLedger(
      io,
      clients,
      names,
      window,
      [WRITERS[format](file ? file.stream : io.stdout)],
      file !== undefined || io.stdout.isTTY !== true,
    );
  } catch (error) {
    await file?.abort();
    throw error;
  }
  if (file) {
    if (result.listed > 0 && result.failures.size === result.listed) {
      await file.abort();
      note(io, `nothing written to ${values.out}: every provider failed`);
    } else {
      try {
        await file.commit();
      } catch (error) {
        note(io, `cannot write ${values.out}: ${(error as Error).message}`);
        return 1;
      }
      note(io, `wrote ${result.count} entries to ${values.out}`);
    }
  }
  return drift.exitCode(
    reportFailures(
      io,
      result.failures,
      file ? "the file has the rows of the others" : "the output has the rows of the others",
    ),
    values.strict,
  );
}

/**
 * Streams the ledger into one or more writers at once. Provider failures are collected, not
 * thrown; warnings go to stderr. Progress shows on stderr when it is a terminal and the rows are
 * not going to that same terminal.
 */
export async function exportLedger(
  io: CliIO,
  clients: LedgerClients,
  names: ProviderName[],
  window: { since: Date | undefined; until: Date },
  writers: LedgerWriter[],
  showProgress: boolean,
): Promise<{ count: number; failures: Map<ProviderName, unknown>; listed: number }> {
  const failures = new Map<ProviderName, unknown>();
  // Said here, plainly, rather than as the library's warning: it is no fault of the provider.
  for (const name of names.filter((name) => !adapterOf(name).entries)) {
    note(io, `${name}: ${balanceOnlyNote(name)}`);
  }
  const listed = names.filter((name) => adapterOf(name).entries);
  const progress = new Progress(io, listed, showProgress);
  const pages: AsyncIterable<LedgerEntry[]> = ledgerPages(clients, {
    since: window.since,
    until: window.until,
    providers: listed,
    onError: (provider, error) => {
      progress.clear();
      failures.set(provider, error);
    },
    onWarning: (provider, message) => {
      progress.clear();
      note(io, `warning: ${provider}: ${message}`);
    },
  });
  let count = 0;
  for await (const batch of pages) {
    progress.count(batch);
    for (const writer of writers) await writer.writeBatch(batch);
    count += batch.length;
  }
  progress.clear();
  for (const writer of writers) await writer.end();
  return { count, failures, listed: listed.length };
}
