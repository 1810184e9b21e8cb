import { renderSvg } from "./charts/render.js";
import { balanceSpec, dailySpendSpec, modelSpendSpec, topUpSpec } from "./charts/specs.js";
import { currenciesOf, inCurrency } from "./currency.js";
import { Html, html, showTime } from "./html.js";
import { type Lookup, lookup } from "./lookup.js";
import { forecastRunway, type RunwayForecast } from "./runway.js";
import { STYLE } from "./style.js";
import {
  adjustmentTable,
  attributionTable,
  auditTable,
  modelTable,
  reconciliationTable,
  runwayTable,
  topUpTable,
  totalsTables,
} from "./tables.js";
import { computeTotals } from "./totals.js";
import type { ReportData } from "./types.js";
import { validateReportData } from "./validate.js";

/**
 * Content-Security-Policy of the page: nothing may load (no script, font, image or frame from
 * anywhere), so even text that slipped past escaping could neither run nor call home. Inline
 * styles are the page's own stylesheet and Vega's presentation attributes.
 */
const CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

/**
 * One self-contained HTML page: the charts are inline SVG drawn now, the styles are inline, and
 * nothing is fetched when it is opened — it works offline, without JavaScript, and printed.
 * Throws a `RangeError` naming the field when `data` is inconsistent.
 */
export async function renderReport(data: ReportData): Promise<string> {
  validateReportData(data);
  const find = lookup(data);
  const forecasts = runwayForecasts(data, find);
  const currencies = currenciesOf(data).map((code) => ({ code, data: inCurrency(data, code) }));
  /**
   * One figure per currency with something to draw, so that no axis plots two currencies; the
   * section's empty line once, when no currency has anything.
   */
  const charts = async (
    id: string,
    spec: (data: ReportData, currency: string) => Parameters<typeof renderSvg>[0] | null,
    caption: (currency: string) => string,
    empty: string,
  ): Promise<Html> => {
    const figures: Html[] = [];
    for (const currency of currencies) {
      const drawn = spec(currency.data, currency.code);
      if (!drawn) continue;
      figures.push(
        html`<figure data-chart="${id}" data-currency="${currency.code}">${svg(await renderSvg(drawn))}<figcaption>${caption(currency.code)}</figcaption></figure>`,
      );
    }
    return figures.length
      ? html`${figures}`
      : html`<p class="empty" data-chart="${id}">${empty}</p>`;
  };

  const title = data.title ?? "Spend report";
  const sections = [
    html`<h2>Totals</h2>${totalsTables(computeTotals(data, find))}`,
    html`<h2>Daily spend</h2>${await charts(
      "spend",
      (slice, currency) => dailySpendSpec(slice, find, currency),
      (currency) =>
        `Spend in ${currency} per UTC day, stacked by provider. Hover a bar for its exact amount.`,
      "No spend in this window.",
    )}`,
    html`<h2>Balances and runway</h2>${await charts(
      "balance",
      (slice, currency) => balanceSpec(slice, find, currency, forecasts),
      (currency) =>
        `Each ${currency} account's balance; dashed: the forecast at the trailing 30-day burn (at most one window ahead).`,
      "No account reports a balance.",
    )}${runwayTable(find, forecasts)}`,
    html`<h2>Spend by model</h2>${await charts(
      "model",
      (slice, currency) => modelSpendSpec(slice, find, currency),
      (currency) => `Spend in ${currency} per model over the window.`,
      "No spend by model in this window.",
    )}${modelTable(data, find)}${attributionTable(data, find, "spendByProject")}${attributionTable(data, find, "spendByKey")}`,
    html`<h2>Top-ups</h2>${await charts(
      "topup",
      (slice, currency) => topUpSpec(slice, find, currency),
      (currency) => `Each top-up in ${currency} at the time it was booked.`,
      "No top-ups in this window.",
    )}${topUpTable(data, find)}`,
    html`<h2>Adjustments</h2>${adjustmentTable(data, find)}`,
    html`<h2>Open audit events</h2>${auditTable(data, find)}`,
    html`<h2>Reconciliation</h2>${reconciliationTable(data, find)}`,
  ];

  return `<!doctype html>
${html`<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<title>${title}</title>
<style>${svg(STYLE)}</style>
</head>
<body>
<main>
<h1>${title}</h1>
<p class="meta">From <time datetime="${data.window.since}">${showTime(data.window.since)}</time> to <time datetime="${data.window.until}">${showTime(data.window.until)}</time> · generated <time datetime="${data.generatedAt}">${showTime(data.generatedAt)}</time> · ${amountsIn(currenciesOf(data))}</p>
<ul class="accounts">${data.providers.map(
  (p) =>
    html`<li><strong>${p.name}</strong>: ${data.accounts
      .filter((a) => a.provider === p.id)
      .map((a, i) => html`${i ? ", " : ""}${a.name} (${a.currency})`)}</li>`,
)}</ul>
${sections}
</main>
</body>
</html>`}
`;
}

/** What the amounts are in: with several currencies, also that none is converted or added. */
function amountsIn(currencies: string[]): string {
  const list = new Intl.ListFormat("en", { type: "conjunction" }).format(currencies);
  if (currencies.length < 2) return currencies.length ? `amounts in ${list}, exact` : "no accounts";
  return `amounts in ${list}, exact; each total is in one currency, none is converted`;
}

/** Markup this package made (Vega's SVG, the stylesheet): trusted, not escaped again. */
function svg(markup: string): Html {
  return new Html(markup);
}

/** A forecast for every account with a balance, from its latest point and its daily spend. */
function runwayForecasts(data: ReportData, find: Lookup): Map<string, RunwayForecast> {
  const forecasts = new Map<string, RunwayForecast>();
  for (const account of data.accounts) {
    const latest = find.latestBalance(account.id);
    if (!latest) continue;
    forecasts.set(
      account.id,
      forecastRunway({
        balance: latest.balance,
        asOf: latest.time,
        dailySpend: data.dailySpend.filter((d) => d.account === account.id),
        since: data.window.since,
        currency: account.currency,
      }),
    );
  }
  return forecasts;
}
