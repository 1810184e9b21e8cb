import parsePrometheusTextFormat from "parse-prometheus-text-format";
import { describe, expect, it } from "vitest";
import { exposition, type MetricFamily } from "../src/serve/metrics.js";

const gauge = (samples: MetricFamily["samples"], name = "spendkit_balance"): MetricFamily => ({
  name,
  help: "A balance.",
  type: "gauge",
  samples,
});

describe("the exposition format", () => {
  it("round-trips through a real parser: HELP, TYPE, labels, exact decimals", () => {
    const text = exposition([
      gauge([
        { labels: { provider: "deepseek", account: "main", currency: "CNY" }, value: "110.000001" },
        { labels: { provider: "deepseek", account: "main", currency: "USD" }, value: "-5.00" },
      ]),
      {
        name: "spendkit_sync_failures_total",
        help: "Failures.\nSecond line with a \\ backslash.",
        type: "counter",
        samples: [{ labels: { provider: "xai", account: "prod" }, value: 3 }],
      },
      { name: "spendkit_open_audit_events", help: "Open.", type: "gauge", samples: [{ value: 0 }] },
      { name: "spendkit_runway_days", help: "Days.", type: "gauge", samples: [] },
    ]);
    expect(text.endsWith("\n")).toBe(true);
    expect(text).toContain(
      'spendkit_balance{provider="deepseek",account="main",currency="CNY"} 110.000001\n',
    );
    const families = parsePrometheusTextFormat(text);
    expect(families).toEqual([
      {
        name: "spendkit_balance",
        help: "A balance.",
        type: "GAUGE",
        metrics: [
          {
            labels: { provider: "deepseek", account: "main", currency: "CNY" },
            value: "110.000001",
          },
          { labels: { provider: "deepseek", account: "main", currency: "USD" }, value: "-5.00" },
        ],
      },
      {
        name: "spendkit_sync_failures_total",
        help: "Failures.\nSecond line with a \\ backslash.",
        type: "COUNTER",
        metrics: [{ labels: { provider: "xai", account: "prod" }, value: "3" }],
      },
      {
        name: "spendkit_open_audit_events",
        help: "Open.",
        type: "GAUGE",
        metrics: [{ value: "0" }],
      },
      { name: "spendkit_runway_days", help: "Days.", type: "GAUGE", metrics: [] },
    ]);
  });

  it("escapes label values: quotes, backslashes, line feeds, and keeps unicode", () => {
    const account = 'we"ird\\name\nnext ✓ 账户';
    const families = parsePrometheusTextFormat(
      exposition([gauge([{ labels: { provider: "xai", account }, value: 1 }])]),
    );
    expect(families[0]!.metrics[0]!.labels).toEqual({ provider: "xai", account });
  });

  it("writes NaN and infinities as Prometheus spells them", () => {
    const text = exposition([
      gauge([
        { labels: { v: "nan" }, value: Number.NaN },
        { labels: { v: "inf" }, value: Number.POSITIVE_INFINITY },
        { labels: { v: "-inf" }, value: Number.NEGATIVE_INFINITY },
        { labels: { v: "ratio" }, value: 0.8 },
      ]),
    ]);
    expect(parsePrometheusTextFormat(text)[0]!.metrics.map((m) => m.value)).toEqual([
      "NaN",
      "+Inf",
      "-Inf",
      "0.8",
    ]);
  });

  it("writes integers without an exponent and keeps the given order", () => {
    const text = exposition([
      gauge([
        { labels: { v: "big" }, value: 1e21 },
        { labels: { v: "max" }, value: Number.MAX_SAFE_INTEGER },
        { labels: { v: "neg" }, value: -42 },
        { labels: { v: "small" }, value: 1e-7 },
      ]),
    ]);
    expect(parsePrometheusTextFormat(text)[0]!.metrics).toEqual([
      { labels: { v: "big" }, value: "1000000000000000000000" },
      { labels: { v: "max" }, value: "9007199254740991" },
      { labels: { v: "neg" }, value: "-42" },
      { labels: { v: "small" }, value: "1e-7" },
    ]);
  });

  it("writes an empty page as a lone line feed", () => {
    expect(exposition([])).toBe("\n");
    expect(parsePrometheusTextFormat(exposition([]))).toEqual([]);
  });

  it.each(["1e3", "", "1.", ".5", "+1", " 1", "NaN", "1,5", "0x10"])(
    "refuses the decimal string %j",
    (value) => {
      expect(() => exposition([gauge([{ value }])])).toThrow(/not a decimal/);
    },
  );

  it.each([
    ["a bad metric name", [gauge([], "spendkit-balance")], /bad metric name/],
    ["a bad label name", [gauge([{ labels: { "1x": "a" }, value: 1 }])], /bad label name/],
    ["a reserved label name", [gauge([{ labels: { __name__: "a" }, value: 1 }])], /bad label name/],
    ["a colon in a label name", [gauge([{ labels: { "a:b": "a" }, value: 1 }])], /bad label name/],
    ["an empty metric name", [gauge([], "")], /bad metric name/],
    [
      "a repeated label set",
      [
        gauge([
          { labels: { a: "1" }, value: 1 },
          { labels: { a: "1" }, value: 2 },
        ]),
      ],
      /twice/,
    ],
    [
      "the same label set in another order",
      [
        gauge([
          { labels: { a: "1", b: "2" }, value: 1 },
          { labels: { b: "2", a: "1" }, value: 2 },
        ]),
      ],
      /twice/,
    ],
    ["two samples without labels", [gauge([{ value: 1 }, { value: 2 }])], /twice/],
    [
      "a counter without _total",
      [{ name: "spendkit_failures", help: "x", type: "counter" as const, samples: [] }],
      /_total/,
    ],
    ["a value that is no decimal", [gauge([{ value: "1e3" }])], /not a decimal/],
    ["a family given twice", [gauge([]), gauge([])], /given twice/],
  ])("refuses %s", (_what, families, message) => {
    expect(() => exposition(families)).toThrow(message);
  });
});
