import { columns } from "@spendkit/ledger";
import type { Store } from "@spendkit/store";
import { parse, UsageError } from "./args.js";
import type { CliIO } from "./io.js";
import { Progress } from "./progress.js";
import { cliLocation, loadStore, openCliStore, STORE_OPTIONS } from "./store.js";

export const COPY_HELP = `Usage: spendkit copy --to PATH|URL [options]

Copies the store as it is into another, empty one: typically the embedded store into PostgreSQL
once it outgrows one machine. Everything goes, exactly: entries and their revisions, sync
state, audit events, balance snapshots, daily rollups, alert state. One transaction: a copy
that fails or is interrupted (Ctrl-C, a kill) leaves the target empty. Refused before anything
is written when the target holds any row, when the two stores are at different schema versions,
or when they are the same store. No API call.

Options:
  --to PATH|URL       the store to copy into: a directory (embedded PGlite) or a postgres://
                      URL; created if it does not exist, and it must hold no row
  --db PATH|URL       the store to copy, a directory or a postgres:// URL; default:
                      $SPENDKIT_DB, else $XDG_DATA_HOME/spendkit (~/.local/share/spendkit)
  -h, --help          show this help

Then point spendkit at the copy (--db, or SPENDKIT_DB) and keep the old store until you have
checked it (spendkit status on both). Progress is shown on stderr when it is a terminal.
Exit codes: 0 copied; 1 refused or failed (nothing was copied); 2 bad usage.
`;

export async function copyCommand(args: readonly string[], io: CliIO): Promise<number> {
  const { values } = parse(
    args,
    { db: STORE_OPTIONS.db, to: { type: "string" }, help: { type: "boolean", short: "h" } },
    "copy",
  );
  if (values.help) {
    io.stdout.write(COPY_HELP);
    return 0;
  }
  if (!values.to) throw new UsageError("--to: give the directory or postgres:// URL to copy into");
  const module = await loadStore();
  // The target is named on the command line only: SPENDKIT_DB is the source's default.
  const to = cliLocation(module, "--to", values.to, {}, io.cwd);
  const from = cliLocation(module, "--db", values.db, io.env, io.cwd);
  if (module.describeLocation(from) === module.describeLocation(to)) {
    throw new UsageError("--to: names the store being copied; give another one");
  }
  const source = await openCliStore(io, module, values.db);
  let target: Store | undefined;
  const progress = new Progress(io, []);
  const of = (n: number) => n.toLocaleString("en-US");
  try {
    target = await module.openStore(to);
    const copied = await module.copyStore(source, target, {
      onProgress: ({ table, rows, total }) =>
        progress.show(() => `copying ${table}: ${of(rows)} of ${of(total)}`),
    });
    progress.clear();
    io.stdout.write(`copied ${source.description} into ${target.description}\n`);
    io.stdout.write(
      columns(
        [["TABLE", "ROWS"], ...copied.map((table) => [table.table, of(table.rows)])],
        [false, true],
      ),
    );
    return 0;
  } finally {
    progress.clear();
    await target?.close();
    await source.close();
  }
}
