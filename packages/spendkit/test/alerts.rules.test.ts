import { describe, expect, it } from "vitest";
import { periodAt } from "../src/alerts/periods.js";
import { type ConfigError, parseSpendkitConfig } from "../src/config.js";

const accounts = [{ provider: "openai", name: "main", apiKeyEnv: "OPENAI_ADMIN_KEY" }];
const budget = {
  name: "team-a",
  period: "month",
  amount: "500.00",
  currency: "USD",
  thresholds: [0.5, 0.8, 1.0],
  scope: { provider: "openai", account: "main", project: "proj_x", model: "gpt-4o" },
};
const webhook = {
  name: "ops",
  url: "https://hooks.example.com/T000/B000/XXXXsecretpath",
  secretEnv: "SPENDKIT_WEBHOOK_SECRET",
  format: "json",
};
const failure = (json: Record<string, unknown>) => {
  try {
    parseSpendkitConfig({ accounts, ...json }, "spendkit.config.json");
  } catch (error) {
    return error as ConfigError;
  }
  throw new Error("the config was accepted");
};

describe("alert rules in the config", () => {
  it("reads the issue's example: budgets, a floor, a runway rule, a spike and a webhook", () => {
    const config = parseSpendkitConfig(
      {
        accounts,
        budgets: [budget],
        balances: [
          { name: "bytespike-floor", provider: "bytespike", below: "20.00", currency: "USD" },
          { name: "runway", provider: "xai", runwayDaysBelow: 7 },
        ],
        spikes: [{ name: "daily-spike", factor: 5, baselineDays: 14 }],
        webhooks: [webhook, { name: "chat", url: "https://hooks.slack.com/x", format: "slack" }],
      },
      "f",
    );
    expect(config.rules).toEqual([
      { kind: "budget", ...budget, period: "month", thresholds: ["0.5", "0.8", "1"] },
      {
        kind: "balance",
        name: "bytespike-floor",
        provider: "bytespike",
        account: undefined,
        below: "20.00",
        currency: "USD",
      },
      {
        kind: "runway",
        name: "runway",
        provider: "xai",
        account: undefined,
        runwayDaysBelow: 7,
        currency: undefined,
      },
      {
        kind: "spike",
        name: "daily-spike",
        factor: "5",
        baselineDays: 14,
        provider: undefined,
        account: undefined,
      },
    ]);
    expect(config.webhooks).toEqual([
      webhook,
      { name: "chat", url: "https://hooks.slack.com/x", format: "slack", secretEnv: undefined },
    ]);
  });

  it.each([
    [{ budgets: {} }, "budgets", "must be an array"],
    [{ budgets: [{ ...budget, amount: 500 }] }, "budgets[0].amount", "exact decimal in a string"],
    [{ budgets: [{ ...budget, amount: "0.00" }] }, "budgets[0].amount", "more than zero"],
    [{ budgets: [{ ...budget, period: "year" }] }, "budgets[0].period", '"day", "week" or "month"'],
    [{ budgets: [{ ...budget, currency: "usd" }] }, "budgets[0].currency", "ISO 4217"],
    [{ budgets: [{ ...budget, thresholds: [0.8, 0.5] }] }, "budgets[0].thresholds", "ascending"],
    [{ budgets: [{ ...budget, thresholds: [0] }] }, "budgets[0].thresholds[0]", "above 0"],
    [{ budgets: [{ ...budget, scope: { team: "x" } }] }, "budgets[0].scope.team", "unknown field"],
    [
      { budgets: [{ ...budget, scope: { provider: "acme" } }] },
      "budgets[0].scope.provider",
      "must be one of",
    ],
    [{ budgets: [budget, budget] }, "budgets[1].name", "a second rule of the same name"],
    [
      { budgets: [budget], spikes: [{ name: "team-a", factor: 3 }] },
      "spikes[0].name",
      "a second rule of the same name",
    ],
    [
      {
        balances: [
          { name: "f", provider: "xai", below: "1.00", currency: "USD", runwayDaysBelow: 3 },
        ],
      },
      "balances[0]",
      "exactly one of",
    ],
    [
      { balances: [{ name: "f", provider: "xai", below: "1.00" }] },
      "balances[0].currency",
      "ISO 4217",
    ],
    [
      { balances: [{ name: "f", provider: "xai", runwayDaysBelow: 0.5 }] },
      "balances[0].runwayDaysBelow",
      "whole number",
    ],
    [{ spikes: [{ name: "s", factor: 1 }] }, "spikes[0].factor", "above 1"],
    [
      { spikes: [{ name: "s", factor: 5, baselineDays: 0 }] },
      "spikes[0].baselineDays",
      "whole number",
    ],
    [{ webhooks: [{ ...webhook, format: "xml" }] }, "webhooks[0].format", '"json" or "slack"'],
    [
      { webhooks: [{ ...webhook, secretEnv: undefined }] },
      "webhooks[0].secretEnv",
      "required for JSON",
    ],
    [
      { webhooks: [{ ...webhook, secret: "whsec_1234" }] },
      "webhooks[0].secret",
      "never kept in the config",
    ],
    [{ webhooks: [{ ...webhook, url: "ftp://example.com/x" }] }, "webhooks[0].url", "https URL"],
    [
      { webhooks: [{ ...webhook, url: "http://hooks.example.com/T000/secret" }] },
      "webhooks[0].url",
      "loopback",
    ],
    [{ webhooks: [webhook, webhook] }, "webhooks[1].name", "a second webhook"],
  ])("refuses %j at %s", (json, field, problem) => {
    const error = failure(json);
    expect(error.name).toBe("ConfigError");
    expect(error.field).toBe(field);
    expect(error.message).toContain(problem);
    // Never a value from the file: a webhook's path or a secret.
    expect(error.message).not.toMatch(/secretpath|whsec_1234|T000/);
  });

  it("accepts plain http only to a loopback address", () => {
    const config = parseSpendkitConfig(
      { accounts, webhooks: [{ ...webhook, url: "http://127.0.0.1:8080/hook" }] },
      "f",
    );
    expect(config.webhooks[0]!.url).toBe("http://127.0.0.1:8080/hook");
  });
});

describe("periods in UTC", () => {
  const at = new Date("2026-12-05T06:30:00.000Z"); // a Saturday
  it.each([
    ["day", "2026-12-05T00:00:00.000Z", "2026-12-06T00:00:00.000Z"],
    ["week", "2026-11-30T00:00:00.000Z", "2026-12-07T00:00:00.000Z"],
    ["month", "2026-12-01T00:00:00.000Z", "2027-01-01T00:00:00.000Z"],
  ] as const)("a %s runs from %s to %s", (period, start, end) => {
    const bounds = periodAt(period, at);
    expect(bounds.start.toISOString()).toBe(start);
    expect(bounds.end.toISOString()).toBe(end);
  });

  it("a week starting on Monday holds its Sunday", () => {
    expect(periodAt("week", new Date("2026-12-06T23:59:59.999Z")).start.toISOString()).toBe(
      "2026-11-30T00:00:00.000Z",
    );
  });
});
