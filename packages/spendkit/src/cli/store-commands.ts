import { ALERTS_HELP, alertsCommand } from "./alerts.js";
import { AUDIT_HELP, auditCommand } from "./audit.js";
import { COPY_HELP, copyCommand } from "./copy.js";
import { EXPORT_HELP, exportCommand } from "./export.js";
import type { CliIO } from "./io.js";
import { RECONCILE_HELP, reconcileCommand } from "./reconcile.js";
import { REPORT_HELP, reportCommand } from "./report.js";
import { SERVE_HELP, serveCommand } from "./serve.js";
import { STATUS_HELP, statusCommand } from "./status.js";
import { SYNC_HELP, syncCommand } from "./sync.js";

/**
 * The commands that work on the store (@spendkit/store, loaded only when one of them runs; report
 * also loads @spendkit/report, only when it runs).
 */
export const STORE_COMMANDS: Record<
  string,
  { help: string; run: (args: readonly string[], io: CliIO) => Promise<number> }
> = {
  sync: { help: SYNC_HELP, run: syncCommand },
  export: { help: EXPORT_HELP, run: exportCommand },
  status: { help: STATUS_HELP, run: statusCommand },
  audit: { help: AUDIT_HELP, run: auditCommand },
  reconcile: { help: RECONCILE_HELP, run: reconcileCommand },
  report: { help: REPORT_HELP, run: reportCommand },
  alerts: { help: ALERTS_HELP, run: alertsCommand },
  serve: { help: SERVE_HELP, run: serveCommand },
  copy: { help: COPY_HELP, run: copyCommand },
};
