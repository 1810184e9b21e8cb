import { columns, printable } from "@spendkit/ledger";
import { loadAccounts } from "../config.js";
import { parse } from "./args.js";
import type { CliIO } from "./io.js";
import { STORE_HELP, STORE_OPTIONS, withStore } from "./store.js";

export const STATUS_HELP = `Usage: spendkit status [options]

Per account in the store: the currency of its entries (all in one), the rows stored, the
high-water mark (the latest entry time stored), the last sync, the last error, and the open
audit events; configured accounts not synced yet are listed too. Reads the store only; no API
call. An embedded store past a million rows is told how to move to PostgreSQL (on stderr).

Options:
${STORE_HELP}
  -h, --help          show this help
`;

export async function statusCommand(args: readonly string[], io: CliIO): Promise<number> {
  const { values } = parse(
    args,
    { ...STORE_OPTIONS, help: { type: "boolean", short: "h" } },
    "status",
  );
  if (values.help) {
    io.stdout.write(STATUS_HELP);
    return 0;
  }
  const configured = loadAccounts(io, values.config);
  return withStore(io, values.db, async (store, module) => {
    const accounts = await module.accountStatus(store);
    // Configured accounts that were never synced are listed too.
    for (const account of configured) {
      if (!accounts.some((a) => a.provider === account.provider && a.account === account.name)) {
        accounts.push({
          provider: account.provider,
          account: account.name,
          rows: 0,
          vanished: 0,
          openAuditEvents: 0,
          failures: 0,
        });
      }
    }
    io.stdout.write(`store: ${store.description}\n`);
    if (accounts.length === 0) {
      io.stdout.write("no account has been synced yet (run spendkit sync)\n");
      return 0;
    }
    const rows = accounts.map((a) => [
      `${a.provider}/${a.account}`,
      a.currency ?? "-",
      a.rows.toLocaleString("en-US"),
      a.highWaterMark ?? "-",
      a.lastSuccess ?? "never",
      String(a.openAuditEvents),
      a.lastError && (!a.lastSuccess || (a.lastErrorAt ?? "") > a.lastSuccess)
        ? printable(a.lastError)
        : "",
    ]);
    io.stdout.write(
      columns(
        [
          [
            "ACCOUNT",
            "CURRENCY",
            "ROWS",
            "HIGH-WATER MARK",
            "LAST SYNC",
            "OPEN EVENTS",
            "LAST ERROR",
          ],
          ...rows,
        ],
        [false, false, true, false, false, true, false],
      ),
    );
    const note = outgrownNote(
      accounts.reduce((sum, a) => sum + a.rows, 0),
      store.db.advisedMaxRows,
    );
    if (note) io.stderr.write(note);
    return 0;
  });
}

/**
 * The advice to move a store its engine has outgrown (on stderr, so that the table on stdout
 * reads the same to a script): how many rows, past what, and the one command that moves it.
 */
export function outgrownNote(rows: number, advisedMaxRows: number | undefined): string | undefined {
  if (advisedMaxRows === undefined || rows <= advisedMaxRows) return undefined;
  const of = (n: number) => n.toLocaleString("en-US");
  return (
    `note: this store holds ${of(rows)} rows, past the ${of(advisedMaxRows)} its engine is ` +
    "advised for: PostgreSQL serves it better. Move it as it is with " +
    "spendkit copy --to postgres://user@host/db, then set SPENDKIT_DB to that URL.\n"
  );
}
