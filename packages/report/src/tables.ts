import { currenciesOf } from "./currency.js";
import { formatAmount, parseAmount } from "./decimal.js";
import { type Html, html, showTime } from "./html.js";
import type { Lookup } from "./lookup.js";
import type { RunwayForecast } from "./runway.js";
import type { CurrencyTotals } from "./totals.js";
import type { Amount, ReportData } from "./types.js";

/**
 * The report's tables. Amounts are the exact decimal strings followed by their currency code, in
 * cells of class `amount` with a `data-field` naming the column, so that a reader (and a test) can
 * check every figure and never take a CNY figure for dollars. The figure is the cell's first text,
 * up to the first tag (the code and its space are in a `span`), which is how a program reads it.
 */

const amount = (value: Amount | null, field: string, currency: string) =>
  value === null
    ? html`<td class="amount" data-field="${field}">—</td>`
    : html`<td class="amount" data-field="${field}">${value}<span class="currency"> ${currency}</span></td>`;

/**
 * Largest amount first within each currency, the currencies in the report's order: a CNY amount
 * and a USD amount are not comparable, so they are not ranked against each other.
 */
function largestFirst<T extends { account: string; amount: Amount }>(
  data: ReportData,
  find: Lookup,
  rows: readonly T[],
): T[] {
  const currencies = currenciesOf(data);
  const rank = (row: T) => currencies.indexOf(find.currencyOf(row.account));
  return [...rows].sort((a, b) => {
    const d = parseAmount(b.amount) - parseAmount(a.amount);
    return rank(a) - rank(b) || (d === 0n ? 0 : d > 0n ? 1 : -1);
  });
}

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

/**
 * Rows a folded month lists at most, in time order: its summary line sums every row, and
 * `spendkit export` lists them all. A busy account books thousands of top-ups or adjustments a
 * month; a page that listed each would weigh megabytes and be read by no one.
 */
export const LIST_PER_MONTH = 200;

interface Listed {
  account: string;
  time: string;
  amount?: Amount;
}

function listTable<T extends Listed>(
  find: Lookup,
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
  const totals = monthTotals(find, items).map(([currency, total]) => `, ${total} ${currency}`);
  const shown = items.slice(0, LIST_PER_MONTH);
  const more = items.length - shown.length;
  return html`<details data-month="${month}"><summary>${month}: ${items.length} ${items.length === 1 ? noun[0] : noun[1]}${totals}</summary>
${table(name, `${caption}, ${month}`, head, shown.map(row), null)}${
  more > 0
    ? html`<p class="muted" data-more="${more}">The first ${shown.length} are listed; ${more} more ${more === 1 ? noun[0] : noun[1]} are summed above, and <code>spendkit export --since ${month}-01 --until ${nextMonth(month)}-01</code> lists every entry of the month.</p>`
    : ""
}</details>`;
})}`;
}

/** The month after `YYYY-MM`. */
function nextMonth(month: string): string {
  const [year, index] = [Number(month.slice(0, 4)), Number(month.slice(5, 7))];
  return index === 12 ? `${year + 1}-01` : `${year}-${String(index + 1).padStart(2, "0")}`;
}

/** A month's amounts summed exactly per currency, in the order the month's rows name them. */
function monthTotals(find: Lookup, items: readonly Listed[]): [currency: string, total: Amount][] {
  const totals = new Map<string, bigint>();
  for (const item of items) {
    if (item.amount === undefined) continue;
    const currency = find.currencyOf(item.account);
    totals.set(currency, (totals.get(currency) ?? 0n) + parseAmount(item.amount));
  }
  return [...totals].map(([currency, total]) => [currency, formatAmount(total)]);
}

/** The account's name, with its provider and its currency: two ledgers of one account differ. */
const accountCell = (find: Lookup, id: string) =>
  html`<td>${find.account(id).name} <span class="muted">${find.providerOf(id).name}, ${find.currencyOf(id)}</span></td>`;

/** One table per currency, each with its own total: no row adds two currencies. */
export function totalsTables(totals: CurrencyTotals[]): Html {
  if (!totals.length) return html`<p class="empty" data-table="totals">No accounts.</p>`;
  return html`${totals.map(({ currency, rows }) =>
    table(
      "totals",
      `Totals in ${currency} over the window (exact)`,
      ["provider", "spend", "top-ups", "adjustments", "latest balance"],
      rows.map(
        (
          row,
        ) => html`<tr data-provider="${row.provider?.id ?? "*"}" data-currency="${currency}"${row.provider ? "" : html` class="total"`}>
<th scope="row">${row.provider?.name ?? "All providers"}</th>${amount(row.spend, "spend", currency)}${amount(row.topUps, "topUps", currency)}${amount(row.adjustments, "adjustments", currency)}${amount(row.balance, "balance", currency)}</tr>`,
      ),
      null,
    ),
  )}`;
}

export function runwayTable(find: Lookup, forecasts: Map<string, RunwayForecast>): Html {
  return table(
    "runway",
    "Runway: days left at the trailing 30-day burn (a forecast, not a promise)",
    ["account", "balance", "as of", "trailing spend", "burn a day", "days left", "runs out"],
    [...forecasts].map(([account, f]) => {
      const currency = find.currencyOf(account);
      return html`<tr data-account="${account}">${accountCell(find, account)}${amount(f.balance, "balance", currency)}<td>${showTime(f.asOf)}</td>
<td class="amount" data-field="trailingSpend">${f.trailingSpend}<span class="currency"> ${currency}</span> <span class="muted">over ${f.days} d</span></td>${amount(f.dailyBurn, "dailyBurn", currency)}
<td class="number" data-field="daysLeft" title="${f.label}">${f.daysLeft ?? "—"}</td><td>${f.runsOutOn ?? f.label}</td></tr>`;
    }),
    // The chart above says so when there is none.
    null,
  );
}

export function modelTable(data: ReportData, find: Lookup): Html {
  return table(
    "models",
    "Spend by model (exact)",
    ["model", "account", "spend"],
    largestFirst(data, find, data.spendByModel).map(
      (m) =>
        html`<tr><td class="code">${m.model}</td>${accountCell(find, m.account)}${amount(m.amount, "amount", find.currencyOf(m.account))}</tr>`,
    ),
    // The chart above says so when there is none.
    null,
  );
}

/**
 * Spend per project (or workspace) or per API key id, largest first in each currency; nothing at
 * all when no provider of the report attributes spend.
 */
export function attributionTable(
  data: ReportData,
  find: Lookup,
  list: "spendByProject" | "spendByKey",
): Html {
  const rows = largestFirst(data, find, data[list] ?? []);
  if (rows.length === 0) return html``;
  const [id, title, column] =
    list === "spendByProject"
      ? ["projects", "Spend by project or workspace (exact)", "project"]
      : ["keys", "Spend by API key (exact)", "key id"];
  return table(
    id,
    title,
    [column, "account", "spend"],
    rows.map(
      (r) =>
        html`<tr><td class="code">${r.name}</td>${accountCell(find, r.account)}${amount(r.amount, "amount", find.currencyOf(r.account))}</tr>`,
    ),
    null,
  );
}

export function topUpTable(data: ReportData, find: Lookup): Html {
  return listTable(
    find,
    "topups",
    "Top-ups (exact)",
    ["time", "account", "amount", "reference"],
    data.topUps,
    (t) =>
      html`<tr><td>${showTime(t.time)}</td>${accountCell(find, t.account)}${amount(t.amount, "amount", find.currencyOf(t.account))}<td class="code">${t.reference}</td></tr>`,
    // The chart above says so when there is none.
    null,
    ["top-up", "top-ups"],
  );
}

export function adjustmentTable(data: ReportData, find: Lookup): Html {
  return listTable(
    find,
    "adjustments",
    "Adjustments by the providers' staff (exact; credits positive)",
    ["time", "account", "amount", "description"],
    data.adjustments,
    (a) =>
      html`<tr><td>${showTime(a.time)}</td>${accountCell(find, a.account)}${amount(a.amount, "amount", find.currencyOf(a.account))}<td>${a.description}</td></tr>`,
    "No adjustments in this window.",
    ["adjustment", "adjustments"],
  );
}

export function auditTable(data: ReportData, find: Lookup): Html {
  return listTable(
    find,
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
    "Reconciliation: the ledger's running balance against the provider's (exact)",
    ["account", "status", "checked", "ledger", "provider", "difference", "note"],
    data.reconciliation.map((r) => {
      const difference =
        r.ledgerBalance !== undefined && r.providerBalance !== undefined
          ? formatAmount(parseAmount(r.providerBalance) - parseAmount(r.ledgerBalance))
          : null;
      const currency = find.currencyOf(r.account);
      return html`<tr data-account="${r.account}">${accountCell(find, r.account)}<td><span class="status ${r.status}">${r.status}</span></td>
<td>${r.checkedAt ? showTime(r.checkedAt) : "—"}</td>${amount(r.ledgerBalance ?? null, "ledgerBalance", currency)}${amount(r.providerBalance ?? null, "providerBalance", currency)}${amount(difference, "difference", currency)}<td>${r.note}</td></tr>`;
    }),
    "No account has been reconciled.",
  );
}

function byTime<T extends { time: string }>(rows: readonly T[]): T[] {
  return [...rows].sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
}
