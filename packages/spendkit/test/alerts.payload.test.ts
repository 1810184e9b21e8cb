import { describe, expect, it } from "vitest";
import type { Alert } from "../src/alerts/alert.js";
import { alertBody, sampleAlert } from "../src/alerts/payload.js";

const budget: Alert = {
  id: "budget-7f3a",
  rule: { kind: "budget", name: "team-monthly" },
  scope: { provider: "openai", project: "proj_1" },
  period: { start: "2025-03-01T00:00:00.000Z", end: "2025-04-01T00:00:00.000Z" },
  threshold: "0.80",
  observed: "0.10",
  limit: "100.000000",
  currency: "USD",
  firedAt: "2025-03-14T09:30:00.000Z",
  message: 'Budget "team-monthly": 0.10 USD spent of 100.000000 USD.',
};

/** A runway alert: no limit's end, no currency, no period end. */
const runway: Alert = {
  id: "runway-1",
  rule: { kind: "runway", name: "keep-going" },
  scope: {},
  period: { start: "2025-03-14T00:00:00.000Z" },
  threshold: "7",
  observed: "3",
  firedAt: "2025-03-14T09:30:00.000Z",
  message: "openai/prod has 3 days of balance left.",
};

describe("the json payload", () => {
  it("carries every field, amounts as the exact decimal text", () => {
    const text = alertBody(budget, "json");
    expect(JSON.parse(text)).toEqual({
      id: "budget-7f3a",
      type: "spendkit.alert",
      rule: { kind: "budget", name: "team-monthly" },
      scope: { provider: "openai", project: "proj_1" },
      period: { start: "2025-03-01T00:00:00.000Z", end: "2025-04-01T00:00:00.000Z" },
      threshold: "0.80",
      observed: "0.10",
      limit: "100.000000",
      currency: "USD",
      firedAt: "2025-03-14T09:30:00.000Z",
      message: 'Budget "team-monthly": 0.10 USD spent of 100.000000 USD.',
    });
    // Strings in the text itself, not numbers a parser could round: "0.10" is not 0.1.
    expect(text).toContain('"observed":"0.10"');
    expect(text).toContain('"limit":"100.000000"');
    expect(text).toContain('"threshold":"0.80"');
  });

  it("leaves absent optional fields out instead of sending null", () => {
    const text = alertBody(runway, "json");
    const body = JSON.parse(text) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual([
      "id",
      "type",
      "rule",
      "scope",
      "period",
      "threshold",
      "observed",
      "firedAt",
      "message",
    ]);
    expect(body.period).toEqual({ start: "2025-03-14T00:00:00.000Z" });
    expect(body.scope).toEqual({});
    expect(text).not.toContain("null");
  });

  it("sends only the documented fields, whatever else the stored alert carries", () => {
    const stored = {
      ...budget,
      scope: { ...budget.scope, model: undefined },
      internal: "x",
    } as Alert;
    const body = JSON.parse(alertBody(stored, "json")) as Record<string, unknown>;
    expect(body).not.toHaveProperty("internal");
    expect(body.scope).toEqual({ provider: "openai", project: "proj_1" });
  });
});

describe("the slack payload", () => {
  it("is a {text} message: the sentence, then the id on a line of its own", () => {
    const body = JSON.parse(alertBody(budget, "slack")) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(["text"]);
    const lines = String(body.text).split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe(budget.message);
    expect(lines[1]).toContain("budget-7f3a");
  });

  it("escapes &, < and > as Slack documents, and nothing else", () => {
    const alert = { ...budget, id: "a<b>&c", message: 'R&D <!channel> > "50%" *bold* `x`' };
    const { text } = JSON.parse(alertBody(alert, "slack")) as { text: string };
    expect(text).toBe(
      'R&amp;D &lt;!channel&gt; &gt; "50%" *bold* `x`\nspendkit alert id: a&lt;b&gt;&amp;c',
    );
    expect(text).not.toMatch(/[<>]/);
  });
});

describe("the test alert", () => {
  const now = new Date("2025-03-14T09:30:15.123Z");

  it("is a plausible budget crossing, labelled as a test everywhere people look", () => {
    const alert = sampleAlert(now);
    expect(alert.id).toMatch(/^test-/);
    expect(alert.rule).toEqual({ kind: "budget", name: "spendkit-test" });
    expect(alert.message).toMatch(/test/i);
    expect(alert).toMatchObject({
      threshold: "0.8",
      observed: "400.00",
      limit: "500.00",
      currency: "USD",
      firedAt: "2025-03-14T09:30:15.123Z",
      period: { start: "2025-03-01T00:00:00.000Z", end: "2025-04-01T00:00:00.000Z" },
    });
  });

  it("has a new id each time, so a receiver that drops repeats still shows the next test", () => {
    const later = new Date(now.getTime() + 1000);
    expect(sampleAlert(later).id).not.toBe(sampleAlert(now).id);
    expect(sampleAlert(now).id).toBe(sampleAlert(new Date(now)).id);
  });

  it("sends in both formats", () => {
    const alert = sampleAlert(now);
    expect(JSON.parse(alertBody(alert, "json"))).toMatchObject({
      id: alert.id,
      observed: "400.00",
    });
    expect(JSON.parse(alertBody(alert, "slack")).text).toContain(alert.id);
  });
});
