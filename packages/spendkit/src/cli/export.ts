import { resolve } from "node:path";
import type { LedgerEntry, LedgerWriter, Output } from "@spendkit/ledger";
import { createCsvWriter, createFocusWriter, createJsonLinesWriter } from "@spendkit/ledger";
import { parse, parseProviders, parseWindow, UsageError } from "./args.js";
import { AtomicFile } from "./atomic.js";
import type { CliIO } from "./io.js";
import { note } from "./io.js";
import {
  accountScope,
  narrow,
  READ_STORE_HELP,
  STORE_OPTIONS,
  withinScope,
  withStore,
} from "./store.js";

export const EXPORT_HELP = `Usage: spendkit export [options]

The stored ledger, oldest first, as CSV, JSON Lines or FOCUS 1.2 CSV — the same formats as
spendkit ledger, read from the store (spendkit sync fills it): no API call, no key needed.
Entries a provider no longer lists (see spendkit audit) are left out.

Options:
${READ_STORE_HELP}
  --format FORMAT     csv, jsonl or focus; with --out and no --format, taken from the file
                      name (.csv, .jsonl, .focus.csv); default csv
  --since DATE        start, inclusive (YYYY-MM-DD in UTC, or RFC 3339)
  --until DATE        end, exclusive
  --provider a,b      only these providers
  --account a,b       only these accounts (by name)
  --out FILE          write to FILE atomically (a temp file renamed when complete)
  -h, --help          show this help
`;

const FORMATS = ["csv", "jsonl", "focus"] as const;
type Format = (typeof FORMATS)[number];

const WRITERS: Record<Format, (out: Output) => LedgerWriter> = {
  csv: (out) => createCsvWriter(out),
  jsonl: (out) => createJsonLinesWriter(out),
  focus: (out) => createFocusWriter(out),
};

function formatOf(format: string | undefined, out: string | undefined): Format {
  if (format !== undefined) {
    if (!(FORMATS as readonly string[]).includes(format)) {
      throw new UsageError(`--format: unknown format "${format}"; use ${FORMATS.join(", ")}`);
    }
    return format as Format;
  }
  const name = out?.toLowerCase() ?? "";
  if (name.endsWith(".focus.csv")) return "focus";
  if (name.endsWith(".jsonl") || name.endsWith(".ndjson")) return "jsonl";
  return "csv";
}

export async function exportCommand(args: readonly string[], io: CliIO): Promise<number> {
  const { values } = parse(
    args,
    {
      ...STORE_OPTIONS,
      format: { type: "string" },
      since: { type: "string" },
      until: { type: "string" },
      provider: { type: "string" },
      account: { type: "string" },
      out: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    "export",
  );
  if (values.help) {
    io.stdout.write(EXPORT_HELP);
    return 0;
  }
  const format = formatOf(values.format, values.out);
  const providers = parseProviders(values.provider);
  const window = parseWindow(values, new Date());
  const accounts = values.account
    ?.split(",")
    .map((name) => name.trim())
    .filter(Boolean);
  if (values.out === "") throw new UsageError("--out: give a file name");
  const scope = accountScope(io, values.config);
  const filter = {
    providers: narrow(providers, scope?.providers as typeof providers),
    accounts: narrow(accounts, scope?.accounts),
  };
  return withStore(io, values.db, async (store, module) => {
    let file: AtomicFile | undefined;
    if (values.out !== undefined) {
      try {
        file = await AtomicFile.create(resolve(io.cwd, values.out));
      } catch (error) {
        throw new UsageError(`--out: cannot write ${values.out}: ${(error as Error).message}`);
      }
    }
    try {
      const writer = WRITERS[format](file ? file.stream : io.stdout);
      let count = 0;
      const batches = module.readEntries(store, {
        since: window.since,
        until: values.until === undefined ? undefined : window.until,
        ...filter,
        // Only JSON Lines writes each entry's provider record.
        raw: format === "jsonl",
      });
      for await (const batch of withinScope(batches, scope)) {
        // Stored entries are ledger entries plus their account, which the formats leave out.
        await writer.writeBatch(batch as unknown as LedgerEntry[]);
        count += batch.length;
      }
      await writer.end();
      if (file) {
        await file.commit();
        note(io, `wrote ${count} entries to ${values.out}`);
      }
      return 0;
    } finally {
      await file?.abort();
    }
  });
}
