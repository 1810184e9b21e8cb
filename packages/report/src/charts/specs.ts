import type { TopLevelSpec } from "vega-lite";
import { DAY_MS, parseDay, parseTime } from "../days.js";
import { formatAmount, parseAmount, sum, toNumber } from "../decimal.js";
import type { Lookup } from "../lookup.js";
import type { RunwayForecast } from "../runway.js";
import type { ReportData } from "../types.js";
import { colours } from "./palette.js";

/**
 * The report's charts as Vega-Lite specs. Data values carry floats for geometry and the exact
 * decimal string for the label each mark gets (`description`, which becomes the SVG's aria-label
 * and tooltip). Field names are fixed here; untrusted strings only ever appear as data values,
 * never in field names or expressions, which Vega would interpret.
 *
 * Each spec is named; the mark group in the SVG carries `<name>_marks` as a class, which is how
 * the tests count the marks of one chart.
 *
 * Each chart is of one currency: `data` is the report cut to it (`inCurrency`) and `currency` its
 * code, which every label and axis title names. The renderer draws one chart per currency, so no
 * axis ever plots a CNY amount against a USD one.
 */

const WIDTH = 640;
const BASE = {
  $schema: "https://vega.github.io/schema/vega-lite/v6.json",
  width: WIDTH,
  background: "white",
  config: {
    font: "system-ui, sans-serif",
    // At most three entries a row: a row of long account labels (name, provider, currency)
    // would make the chart wider than the page, and it would be drawn smaller to fit.
    legend: { orient: "bottom", labelLimit: 240, columns: 3 },
    axis: { labelLimit: 280 },
  },
} as const;

/** An account's name with its provider and currency, unique even when two accounts share a name. */
export function seriesLabels(data: ReportData, find: Lookup): Map<string, string> {
  const labels = new Map<string, string>();
  const taken = new Set<string>();
  for (const account of data.accounts) {
    const provider = find.providerOf(account.id).name;
    let label = `${account.name} (${provider}, ${account.currency})`;
    if (taken.has(label))
      label = `${account.name} (${provider}, ${account.currency}, ${account.id})`;
    taken.add(label);
    labels.set(account.id, label);
  }
  return labels;
}

/**
 * The colours of the providers a chart shows: each provider keeps the colour of its place in the
 * whole report, so it has the same colour in every currency's chart, and a legend lists only the
 * providers with a mark in its chart.
 */
function providerScale(data: ReportData, values: readonly { provider: string }[]) {
  const names = data.providers.map((p) => p.name);
  const palette = colours(names.length);
  const shown = new Set(values.map((v) => v.provider));
  const domain = names.filter((name) => shown.has(name));
  return { domain, range: domain.map((name) => palette[names.indexOf(name)]!) };
}

/** Daily spend, one stacked bar segment per provider and day (accounts summed exactly). */
export function dailySpendSpec(
  data: ReportData,
  find: Lookup,
  currency: string,
): TopLevelSpec | null {
  const byDayProvider = new Map<string, { day: string; provider: string; micros: bigint }>();
  for (const d of data.dailySpend) {
    const provider = find.providerOf(d.account).name;
    const key = JSON.stringify([d.date, provider]);
    const cell = byDayProvider.get(key) ?? { day: d.date, provider, micros: 0n };
    cell.micros += parseAmount(d.amount);
    byDayProvider.set(key, cell);
  }
  const values = [...byDayProvider.values()]
    .filter((c) => c.micros !== 0n)
    .map((c) => ({
      day: parseDay(c.day) * DAY_MS,
      provider: c.provider,
      amount: toNumber(c.micros),
      label: `${c.day} · ${c.provider}: ${formatAmount(c.micros)} ${currency}`,
    }));
  if (!values.length) return null;
  return {
    ...BASE,
    name: "spend",
    height: 220,
    data: { values },
    mark: { type: "bar" },
    encoding: {
      x: { field: "day", type: "temporal", timeUnit: "utcyearmonthdate", title: "day (UTC)" },
      y: { field: "amount", type: "quantitative", stack: "zero", title: `spend (${currency})` },
      color: {
        field: "provider",
        type: "nominal",
        scale: providerScale(data, values),
        title: null,
      },
      description: { field: "label" },
    },
  };
}

/**
 * Each account's balance: a line through its points, a dot per point, and a dashed forecast
 * from the latest point towards zero at the trailing burn (drawn at most one window length ahead,
 * so a long runway does not squash the history).
 */
export function balanceSpec(
  data: ReportData,
  find: Lookup,
  currency: string,
  forecasts: Map<string, RunwayForecast>,
): TopLevelSpec | null {
  const labels = seriesLabels(data, find);
  const points = data.balances.flatMap((series) =>
    series.points.map((p) => ({
      time: parseTime(p.time),
      account: labels.get(series.account)!,
      balance: toNumber(parseAmount(p.balance)),
      label: `${labels.get(series.account)} at ${p.time}: ${p.balance} ${currency}`,
    })),
  );
  if (!points.length) return null;
  const horizon = parseTime(data.window.until) - parseTime(data.window.since);
  const forecast = data.accounts.flatMap(({ id: account }) => {
    const f = forecasts.get(account);
    // A used-up balance has nothing left to forecast; the runway table says 0 days.
    if (!f?.drawDaysLeft) return [];
    const start = parseTime(f.asOf);
    const balance = toNumber(parseAmount(f.balance));
    const span = Math.min(f.drawDaysLeft * DAY_MS, horizon);
    const end = balance * (1 - span / (f.drawDaysLeft * DAY_MS));
    const label = `${labels.get(account)}: ${f.label}`;
    return [
      { time: start, account: labels.get(account)!, balance, label },
      { time: start + span, account: labels.get(account)!, balance: end, label },
    ];
  });
  const accounts = data.accounts.map((a) => labels.get(a.id)!);
  const x = {
    field: "time",
    type: "temporal",
    scale: { type: "utc" },
    title: "time (UTC)",
  } as const;
  const y = { field: "balance", type: "quantitative", title: `balance (${currency})` } as const;
  const color = {
    field: "account",
    type: "nominal",
    scale: { domain: accounts, range: colours(accounts.length) },
    title: null,
  } as const;
  return {
    ...BASE,
    height: 240,
    layer: [
      {
        name: "balance",
        data: { values: points },
        mark: { type: "line", interpolate: "step-after" },
        encoding: { x, y, color, description: { field: "account" } },
      },
      {
        name: "balancepoint",
        data: { values: points },
        mark: { type: "point", filled: true, size: 30 },
        encoding: { x, y, color, description: { field: "label" } },
      },
      ...(forecast.length
        ? [
            {
              name: "forecast",
              data: { values: forecast },
              mark: { type: "line", strokeDash: [6, 4] },
              encoding: { x, y, color, description: { field: "label" } },
            } as const,
          ]
        : []),
    ],
  } as TopLevelSpec;
}

/** Spend by model over the window, one bar per provider and model, largest first. */
export function modelSpendSpec(
  data: ReportData,
  find: Lookup,
  currency: string,
): TopLevelSpec | null {
  const byModel = new Map<string, { provider: string; model: string; micros: bigint }>();
  for (const m of data.spendByModel) {
    const provider = find.providerOf(m.account).name;
    const key = JSON.stringify([provider, m.model]);
    const cell = byModel.get(key) ?? { provider, model: m.model, micros: 0n };
    cell.micros += parseAmount(m.amount);
    byModel.set(key, cell);
  }
  const rows = [...byModel.values()].sort((a, b) =>
    a.micros === b.micros ? 0 : a.micros > b.micros ? -1 : 1,
  );
  if (!rows.length) return null;
  const values = rows.map((r) => ({
    name: `${r.model} · ${r.provider}`,
    provider: r.provider,
    amount: toNumber(r.micros),
    label: `${r.model} (${r.provider}): ${formatAmount(r.micros)} ${currency}`,
  }));
  return {
    ...BASE,
    name: "model",
    height: { step: 22 },
    data: { values },
    mark: { type: "bar" },
    encoding: {
      y: {
        field: "name",
        type: "nominal",
        sort: values.map((v) => v.name),
        title: null,
        axis: { labelLimit: 320 },
      },
      x: { field: "amount", type: "quantitative", title: `spend (${currency})` },
      color: {
        field: "provider",
        type: "nominal",
        scale: providerScale(data, values),
        title: null,
      },
      description: { field: "label" },
    },
  } as TopLevelSpec;
}

/** Above this many top-ups, the chart draws one dot per account and UTC day (their sum). */
export const TOP_UPS_PER_DOT = 400;

/**
 * Top-ups over time: one dot per top-up, its height the amount — or, when there are more than
 * TOP_UPS_PER_DOT (an account topped up by a script), one per account and day, the day's sum:
 * a dot per top-up would cost the renderer more than the rest of the page and show nothing more.
 */
export function topUpSpec(data: ReportData, find: Lookup, currency: string): TopLevelSpec | null {
  if (!data.topUps.length) return null;
  const labels = seriesLabels(data, find);
  const byDay = data.topUps.length > TOP_UPS_PER_DOT;
  const groups = new Map<
    string,
    { account: string; time: string; amount: string; amounts: bigint[] }
  >();
  for (const t of data.topUps) {
    const key = byDay ? `${t.account}\u0000${t.time.slice(0, 10)}` : `${groups.size}`;
    const group = groups.get(key);
    if (group) group.amounts.push(parseAmount(t.amount));
    else {
      const time = byDay ? `${t.time.slice(0, 10)}T12:00:00.000Z` : t.time;
      groups.set(key, {
        account: t.account,
        time,
        amount: t.amount,
        amounts: [parseAmount(t.amount)],
      });
    }
  }
  const values = [...groups.values()].map((g) => {
    const total = sum(g.amounts);
    return {
      time: parseTime(g.time),
      provider: find.providerOf(g.account).name,
      amount: toNumber(total),
      label: byDay
        ? `${labels.get(g.account)} on ${g.time.slice(0, 10)}: ${g.amounts.length} top-ups, ${formatAmount(total)} ${currency}`
        : `${labels.get(g.account)} at ${g.time}: ${g.amount} ${currency}`,
    };
  });
  return {
    ...BASE,
    name: "topup",
    height: 180,
    data: { values },
    mark: { type: "point", filled: true, size: 80, shape: "diamond" },
    encoding: {
      // Padding keeps the first and the last dot off the chart's edges.
      x: {
        field: "time",
        type: "temporal",
        scale: { type: "utc", padding: 16 },
        title: "time (UTC)",
      },
      y: {
        field: "amount",
        type: "quantitative",
        title: byDay ? `top-ups per day (${currency})` : `top-up (${currency})`,
      },
      color: {
        field: "provider",
        type: "nominal",
        scale: providerScale(data, values),
        title: null,
      },
      description: { field: "label" },
    },
  };
}
