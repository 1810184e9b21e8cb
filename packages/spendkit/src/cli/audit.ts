import { columns, printable, truncate } from "@spendkit/ledger";
import { parse, UsageError } from "./args.js";
import type { CliIO } from "./io.js";
import { accountScope, READ_STORE_HELP, STORE_OPTIONS, withStore } from "./store.js";

export const AUDIT_HELP = `Usage: spendkit audit [options]

The store's audit events, oldest first: entries whose content changed (with the revision),
entries that vanished from a provider's listing (and came back), staff adjustments, and the
breaks spendkit reconcile found. Reads the store only; no API call.

Options:
${READ_STORE_HELP}
  --format FORMAT     table (default) or jsonl (one event per line, with its detail)
  --all               also the resolved events
  -h, --help          show this help
`;

export async function auditCommand(args: readonly string[], io: CliIO): Promise<number> {
  const { values } = parse(
    args,
    {
      ...STORE_OPTIONS,
      format: { type: "string" },
      all: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
    "audit",
  );
  if (values.help) {
    io.stdout.write(AUDIT_HELP);
    return 0;
  }
  const format = values.format ?? "table";
  if (format !== "table" && format !== "jsonl") {
    throw new UsageError(`--format: unknown format "${format}"; use table or jsonl`);
  }
  const scope = accountScope(io, values.config);
  return withStore(io, values.db, async (store, module) => {
    const all = await module.listAuditEvents(store, { includeResolved: values.all === true });
    const events = scope ? all.filter((e) => scope.includes(e.provider, e.account)) : all;
    if (format === "jsonl") {
      for (const event of events) io.stdout.write(`${JSON.stringify(event)}\n`);
      return 0;
    }
    if (events.length === 0) {
      io.stdout.write(values.all ? "no audit events\n" : "no open audit events\n");
      return 0;
    }
    const rows = events.map((e) => [
      String(e.id),
      e.createdAt,
      e.kind,
      `${e.provider}/${e.account}`,
      e.entryId ?? "",
      e.resolvedAt ? `resolved ${e.resolvedAt}` : "open",
      truncate(printable(JSON.stringify(e.detail)), 80),
    ]);
    io.stdout.write(
      columns([["ID", "CREATED", "KIND", "ACCOUNT", "ENTRY", "STATE", "DETAIL"], ...rows], [true]),
    );
    return 0;
  });
}
