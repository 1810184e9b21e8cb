// The report as a reader gets it: written to a file and opened in a real headless Chromium,
// offline, mostly with JavaScript disabled (the page has none; the charts are static SVG).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser } from "puppeteer-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exampleReportData } from "../src/example.js";
import { renderReport } from "../src/render.js";
import type { ReportData } from "../src/types.js";
import { decimal, HOSTILE, hostileReportData, micros } from "./fixtures.js";
import { launchBrowser, type OfflinePage, openOffline } from "./offline-browser.js";

const ARTIFACTS = new URL("../test-artifacts/", import.meta.url).pathname;

let browser: Browser;
let work: string;
const example = exampleReportData();
const hostile = hostileReportData();
const urls: Record<"example" | "hostile", string> = { example: "", hostile: "" };

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "spendkit-report-"));
  const [launched] = await Promise.all([
    launchBrowser(),
    ...(["example", "hostile"] as const).map(async (name) => {
      const file = join(work, `${name}.html`);
      writeFileSync(file, await renderReport(name === "example" ? example : hostile));
      urls[name] = pathToFileURL(file).href;
    }),
  ]);
  browser = launched;
});

afterAll(async () => {
  await browser?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

const providerOf = (data: ReportData, account: string) =>
  data.accounts.find((a) => a.id === account)!.provider;
const currencyOf = (data: ReportData, account: string) =>
  data.accounts.find((a) => a.id === account)!.currency;

/** Exact spend per day, provider and currency: the bars of the daily spend charts. */
function spendCells(data: ReportData) {
  const cells = new Map<string, { title: string; currency: string; micros: bigint }>();
  for (const d of data.dailySpend) {
    const provider = data.providers.find((p) => p.id === providerOf(data, d.account))!.name;
    const currency = currencyOf(data, d.account);
    const key = JSON.stringify([d.date, provider, currency]);
    const cell = cells.get(key) ?? { title: `${d.date} · ${provider}`, currency, micros: 0n };
    cell.micros += micros(d.amount);
    cells.set(key, cell);
  }
  return [...cells.values()].filter((c) => c.micros !== 0n);
}

/** The charts each section must have: one per currency with something to draw in it. */
function expectedFigures(data: ReportData) {
  const currencies = (rows: { account: string }[]) =>
    new Set(rows.map((r) => currencyOf(data, r.account))).size;
  return {
    spend: new Set(spendCells(data).map((c) => c.currency)).size,
    balance: currencies(data.balances.filter((s) => s.points.length)),
    model: currencies(data.spendByModel),
    topup: currencies(data.topUps),
  };
}

/** What the charts must show, counted from the data without the package's code. */
function expectedMarks(data: ReportData) {
  const spending = (account: string) =>
    data.dailySpend.some((d) => d.account === account && micros(d.amount) > 0n);
  return {
    spend: spendCells(data).length,
    balance: data.balances.filter((s) => s.points.length).length,
    balancepoint: data.balances.reduce((n, s) => n + s.points.length, 0),
    forecast: data.balances.filter(
      (s) => s.points.length && spending(s.account) && micros(s.points.at(-1)!.balance) > 0n,
    ).length,
    model: new Set(
      data.spendByModel.map((m) =>
        JSON.stringify([providerOf(data, m.account), currencyOf(data, m.account), m.model]),
      ),
    ).size,
    topup: data.topUps.length,
  };
}

const countMarks = (opened: OfflinePage) =>
  opened.page.evaluate(() => {
    const count = (chart: string, mark: string) =>
      document.querySelectorAll(`figure[data-chart="${chart}"] .${mark}_marks > path`).length;
    return {
      spend: count("spend", "spend"),
      balance: count("balance", "balance"),
      balancepoint: count("balance", "balancepoint"),
      forecast: count("balance", "forecast"),
      model: count("model", "model"),
      topup: count("topup", "topup"),
    };
  });

describe.each(["example", "hostile"] as const)("the %s report in Chromium", (name) => {
  const data = name === "example" ? example : hostile;
  let opened: OfflinePage;
  beforeAll(async () => {
    opened = await openOffline(browser, urls[name], { javaScript: false });
  });
  afterAll(() => opened?.page.close());

  it("loads nothing but its own file and logs no error", async () => {
    // A second load with JavaScript on: the page must not need it, nor fail with it.
    const live = await openOffline(browser, urls[name]);
    expect(live.blocked).toEqual([]);
    expect(live.errors).toEqual([]);
    await live.page.close();
    expect(opened.blocked).toEqual([]);
    expect(opened.errors).toEqual([]);
  });

  it("has a static chart per section and currency, with the marks its data calls for", async () => {
    const marks = await countMarks(opened);
    expect(marks).toEqual(expectedMarks(data));
    expect(marks.spend).toBeGreaterThan(0);
    const figures = await opened.page.evaluate(() => {
      const count = (chart: string) =>
        document.querySelectorAll(`figure[data-chart="${chart}"]:has(> svg)`).length;
      return {
        spend: count("spend"),
        balance: count("balance"),
        model: count("model"),
        topup: count("topup"),
      };
    });
    expect(figures).toEqual(expectedFigures(data));
    expect(await opened.page.$$eval("figure[data-chart] svg", (svgs) => svgs.length)).toBe(
      Object.values(figures).reduce((a, b) => a + b),
    );
    // Every mark has its tooltip.
    const untitled = await opened.page.$$eval(
      'figure[data-chart] [class*="_marks"] > path:not(:has(> title))',
      (paths) => paths.length,
    );
    expect(untitled).toBe(0);
  });

  it("shows exact amounts with their currency in the spend tooltips", async () => {
    const titles = await opened.page.$$eval(".spend_marks > path > title", (nodes) =>
      nodes.map((n) => n.textContent),
    );
    expect(titles.sort()).toEqual(
      spendCells(data)
        .map((c) => `${c.title}: ${decimal(c.micros)} ${c.currency}`)
        .sort(),
    );
  });

  it("shows totals per currency equal to the input's exact sums", async () => {
    const shown = await opened.page.$$eval('table[data-table="totals"] tbody tr', (rows) =>
      Object.fromEntries(
        rows.map((row) => [
          `${row.getAttribute("data-currency")} ${row.getAttribute("data-provider")}`,
          Object.fromEntries(
            [...row.querySelectorAll("td[data-field]")].map((td) => [
              td.getAttribute("data-field"),
              td.textContent,
            ]),
          ),
        ]),
      ),
    );
    const currencyOf = (account: string) => data.accounts.find((a) => a.id === account)!.currency;
    // Rows of one currency, of one provider or ("*") of all.
    const of = (currency: string, provider: string) => (row: { account: string }) =>
      currencyOf(row.account) === currency &&
      (provider === "*" || providerOf(data, row.account) === provider);
    const total = (
      rows: { account: string; amount: string }[],
      currency: string,
      provider: string,
    ) =>
      `${decimal(rows.filter(of(currency, provider)).reduce((s, r) => s + micros(r.amount), 0n))} ${currency}`;
    const latest = (currency: string, provider: string) =>
      `${decimal(
        data.balances
          .filter(of(currency, provider))
          .reduce((sum, s) => sum + micros(s.points.at(-1)!.balance), 0n),
      )} ${currency}`;
    const currencies = [...new Set(data.accounts.map((a) => a.currency))];
    const expected = Object.fromEntries(
      currencies.flatMap((currency) =>
        [
          ...data.providers
            .filter((p) =>
              data.accounts.some((a) => a.provider === p.id && a.currency === currency),
            )
            .map((p) => p.id),
          "*",
        ].map((p) => [
          `${currency} ${p}`,
          {
            spend: total(data.dailySpend, currency, p),
            topUps: total(data.topUps, currency, p),
            adjustments: total(data.adjustments, currency, p),
            balance: latest(currency, p),
          },
        ]),
      ),
    );
    expect(shown).toEqual(expected);
  });

  it("fits a narrow window without scrolling sideways", async () => {
    const narrow = await openOffline(browser, urls[name], {
      javaScript: false,
      viewport: { width: 360, height: 720 },
    });
    const widths = await narrow.page.evaluate(() => ({
      page: document.documentElement.scrollWidth,
      widestChart: Math.max(
        ...[...document.querySelectorAll("figure svg")].map((s) => s.getBoundingClientRect().width),
      ),
    }));
    await narrow.page.close();
    expect(widths.page).toBeLessThanOrEqual(360);
    expect(widths.widestChart).toBeLessThanOrEqual(360);
    expect(widths.widestChart).toBeGreaterThan(200);
  });

  it("prints: charts and tables are kept whole on a page", async () => {
    await opened.page.emulateMediaType("print");
    const styles = await opened.page.evaluate(() => ({
      figure: getComputedStyle(document.querySelector("figure")!).breakInside,
      table: getComputedStyle(document.querySelector("table")!).breakInside,
    }));
    const pdf = await opened.page.pdf({ format: "A4" });
    await opened.page.emulateMediaType("screen");
    expect(styles).toEqual({ figure: "avoid", table: "avoid" });
    expect(Buffer.from(pdf.subarray(0, 5)).toString()).toBe("%PDF-");
  });

  if (name === "hostile") {
    it("shows server-provided strings as text, never as markup", async () => {
      const page = await opened.page.evaluate(() => ({
        title: document.title,
        text: document.body.textContent ?? "",
        svgText: [...document.querySelectorAll("svg text, svg title")]
          .map((t) => t.textContent)
          .join("\n"),
        injected: document.querySelectorAll(
          "body img, body script, body iframe, body link, body style, body a, svg svg, [onload], [onerror]",
        ).length,
      }));
      expect(page.title).toBe(hostile.title);
      expect(page.injected).toBe(0);
      for (const text of [
        HOSTILE.account,
        HOSTILE.description,
        HOSTILE.reference,
        HOSTILE.audit,
        HOSTILE.kind,
        HOSTILE.model,
      ]) {
        expect(page.text).toContain(text);
      }
      expect(page.svgText).toContain(HOSTILE.provider);
      expect(page.svgText).toContain(HOSTILE.model);
    });
  } else {
    it("looks like a report (screenshot kept in test-artifacts/)", async () => {
      mkdirSync(ARTIFACTS, { recursive: true });
      const png = await opened.page.screenshot({
        path: join(ARTIFACTS, "report.png"),
        fullPage: true,
      });
      expect(png.length).toBeGreaterThan(50_000);
    });
  }
});
