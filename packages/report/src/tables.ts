import { formatAmount, parseAmount, sum } from "./decimal.js";
import { type Html, html, showTime } from "./html.js";
import type { Lookup } from "./lookup.js";
import type { RunwayForecast } from "./runway.js";
import type { TotalsRow } from "./totals.js";
import type { Amount, ReportData } from "./types.js";

/**
 * The report's tables. Amounts are the exact decimal strings, in cells of class `amount` with
 * a `data-field` naming the column, so that a reader (and a test) can check every figure.
 */

const amount = (value: Amount | null, field: string) =>
  value === null
    ? html`<td class="amount" data-field="${field}">—</td>`
    : html`<td class="amount" data-field="${field}">${value}</td>`;

/** `empty` null: the section's chart already says there is nothing, and the table is left out. */
function table(
  name: string,
  caption: string,
  head: string[],
  rows: Html[],
  empty: string | null,
): Html {
  if (!rows.length)
    return empty === null ? html`` : html`<p class="empty" data-table="${name}">${empty}</p>`;
  return html`<div class="scroll"><table data-table="${name}">
<caption>${caption}</caption>
<thead><tr>${head.map((h) => html`<th scope="col">${h}</th>`)}</tr></thead>
<tbody>
${rows}
</tbody>
</table></div>`;
}

/**
 * Lists that grow with the history (top-ups, adjustments, audit events) up to this many rows are
 * one table; longer ones are one table per UTC month, each folded under a line that sums it up
 * (`<details>`: no script), so that a year of top-ups is twelve lines, not a page per month.
 */
export const FOLD_AFTER = 12;

interface Listed {
  time: string;
  amount?: Amount;
}

function listTable<T extends Listed>(
  name: string,
  caption: string,
  head: string[],
  rows: readonly T[],
  row: (item: T) => Html,
  empty: string | null,
  noun: [one: string, many: string],
): Html {
  const sorted = byTime(rows);
  if (sorted.length <= FOLD_AFTER) return table(name, caption, head, sorted.map(row), empty);
  const months = new Map<string, T[]>();
  for (const item of sorted) {
    const month = item.time.slice(0, 7);
    const list = months.get(month);
    if (list) list.push(item);
    else months.set(month, [item]);
  }
  return html`<p class="muted" data-table="${name}">${caption}: ${sorted.length} ${noun[1]} in ${months.size} months, folded by month.</p>
${[...months].map(([month, items]) => {
  const amounts = items.flatMap((item) =>
    item.amount === undefined ? [] : [parseAmount(item.amount)],
  );
  const total = amounts.length ? html`, ${formatAmount(sum(amounts))}` : "";
  return html`<details data-month="${month}"><summary>${month}: ${items.length} ${items.length === 1 ? noun[0] : noun[1]}${total}</summary>
${table(name, `${caption}, ${month}`, head, items.map(row), null)}</details>`;
})}`;
}

const accountCell = (find: Lookup, id: string) =>
  html`<td>${find.account(id).name} <span class="muted">${find.providerOf(id).name}</span></td>`;

export function totalsTable(rows: TotalsRow[]): Html {
  return table(
    "totals",
    "Totals over the window (USD, exact)",
    ["provider", "spend", "top-ups", "adjustments", "latest balance"],
    rows.map(
      (
        row,
      ) => html`<tr data-provider="${row.provider?.id ?? "*"}"${row.provider ? "" : html` class="total"`}>
<th scope="row">${row.provider?.name ?? "All providers"}</th>${amount(row.spend, "spend")}${amount(row.topUps, "topUps")}${amount(row.adjustments, "adjustments")}${amount(row.balance, "balance")}</tr>`,
    ),
    "No providers.",
  );
}

export function runwayTable(find: Lookup, forecasts: Map<string, RunwayForecast>): Html {
  return table(
    "runway",
    "Runway: days left at the trailing 30-day burn (a forecast, not a promise)",
    ["account", "balance", "as of", "trailing spend", "burn a day", "days left", "runs out"],
    [...forecasts].map(
      ([
        account,
        f,
      ]) => html`<tr data-account="${account}">${accountCell(find, account)}${amount(f.balance, "balance")}<td>${showTime(f.asOf)}</td>
<td class="amount" data-field="trailingSpend">${f.trailingSpend} <span class="muted">over ${f.days} d</span></td>${amount(f.dailyBurn, "dailyBurn")}
<td class="number" data-field="daysLeft" title="${f.label}">${f.daysLeft ?? "—"}</td><td>${f.runsOutOn ?? f.label}</td></tr>`,
    ),
    "No account reports a balance.",
  );
}

export function modelTable(data: ReportData, find: Lookup): Html {
  const rows = [...data.spendByModel].sort((a, b) => {
    const d = parseAmount(b.amount) - parseAmount(a.amount);
    return d === 0n ? 0 : d > 0n ? 1 : -1;
  });
  return table(
    "models",
    "Spend by model (USD, exact)",
    ["model", "account", "spend"],
    rows.map(
      (m) =>
        html`<tr><td class="code">${m.model}</td>${accountCell(find, m.account)}${amount(m.amount, "amount")}</tr>`,
    ),
    // The chart above says so when there is none.
    null,
  );
}

/**
 * Spend per project (or workspace) or per API key id, largest first; nothing at all when no
 * provider of the report attributes spend.
 */
export function attributionTable(
  data: ReportData,
  find: Lookup,
  list: "spendByProject" | "spendByKey",
): Html {
  const rows = [...(data[list] ?? [])].sort((a, b) => {
    const d = parseAmount(b.amount) - parseAmount(a.amount);
    return d === 0n ? 0 : d > 0n ? 1 : -1;
  });
  if (rows.length === 0) return html``;
  const [id, title, column] =
    list === "spendByProject"
      ? ["projects", "Spend by project or workspace (USD, exact)", "project"]
      : ["keys", "Spend by API key (USD, exact)", "key id"];
  return table(
    id,
    title,
    [column, "account", "spend"],
    rows.map(
      (r) =>
        html`<tr><td class="code">${r.name}</td>${accountCell(find, r.account)}${amount(r.amount, "amount")}</tr>`,
    ),
    null,
  );
}

export function topUpTable(data: ReportData, find: Lookup): Html {
  return listTable(
    "topups",
    "Top-ups (USD, exact)",
    ["time", "account", "amount", "reference"],
    data.topUps,
    (t) =>
      html`<tr><td>${showTime(t.time)}</td>${accountCell(find, t.account)}${amount(t.amount, "amount")}<td class="code">${t.reference}</td></tr>`,
    // The chart above says so when there is none.
    null,
    ["top-up", "top-ups"],
  );
}

export function adjustmentTable(data: ReportData, find: Lookup): Html {
  return listTable(
    "adjustments",
    "Adjustments by the providers' staff (USD, exact; credits positive)",
    ["time", "account", "amount", "description"],
    data.adjustments,
    (a) =>
      html`<tr><td>${showTime(a.time)}</td>${accountCell(find, a.account)}${amount(a.amount, "amount")}<td>${a.description}</td></tr>`,
    "No adjustments in this window.",
    ["adjustment", "adjustments"],
  );
}

export function auditTable(data: ReportData, find: Lookup): Html {
  return listTable(
    "audit",
    "Open audit events",
    ["time", "account", "kind", "what happened"],
    data.auditEvents,
    (e) =>
      html`<tr><td>${showTime(e.time)}</td>${accountCell(find, e.account)}<td class="code">${e.kind}</td><td>${e.message}</td></tr>`,
    "No open audit events.",
    ["event", "events"],
  );
}

export function reconciliationTable(data: ReportData, find: Lookup): Html {
  return table(
    "reconciliation",
    "Reconciliation: the ledger's running balance against the provider's (USD, exact)",
    ["account", "status", "checked", "ledger", "provider", "difference", "note"],
    data.reconciliation.map((r) => {
      const difference =
        r.ledgerBalance !== undefined && r.providerBalance !== undefined
          ? formatAmount(parseAmount(r.providerBalance) - parseAmount(r.ledgerBalance))
          : null;
      return html`<tr data-account="${r.account}">${accountCell(find, r.account)}<td><span class="status ${r.status}">${r.status}</span></td>
<td>${r.checkedAt ? showTime(r.checkedAt) : "—"}</td>${amount(r.ledgerBalance ?? null, "ledgerBalance")}${amount(r.providerBalance ?? null, "providerBalance")}${amount(difference, "difference")}<td>${r.note}</td></tr>`;
    }),
    "No account has been reconciled.",
  );
}

function byTime<T extends { time: string }>(rows: readonly T[]): T[] {
  return [...rows].sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
}
