import type { Alert } from "./alert.js";
import { periodAt } from "./periods.js";

/** How a webhook wants its alerts: spendkit's own JSON, or a Slack incoming-webhook message. */
export type WebhookFormat = "json" | "slack";

/** The JSON text a webhook receives for `alert`, in its format. */
export function alertBody(alert: Alert, format: WebhookFormat): string {
  return JSON.stringify(format === "slack" ? slackPayload(alert) : jsonPayload(alert));
}

/**
 * spendkit's own payload. It is built field by field, not spread from the alert: an alert read
 * back from the store may carry more than the type says, and the receiver's contract is this
 * list. Amounts stay the exact decimal text they were computed as, never numbers.
 */
function jsonPayload(alert: Alert): Record<string, unknown> {
  return {
    id: alert.id,
    type: "spendkit.alert",
    rule: { kind: alert.rule.kind, name: alert.rule.name },
    scope: present({
      provider: alert.scope.provider,
      account: alert.scope.account,
      project: alert.scope.project,
      model: alert.scope.model,
    }),
    period: present({ start: alert.period.start, end: alert.period.end }),
    threshold: alert.threshold,
    observed: alert.observed,
    ...present({ limit: alert.limit, currency: alert.currency }),
    firedAt: alert.firedAt,
    message: alert.message,
  };
}

/** Absent optional fields are left out, not sent as null: a receiver tests for the key. */
function present<T extends object>(fields: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(fields).filter(([, value]) => value !== undefined && value !== null),
  ) as Partial<T>;
}

/** A Slack message: the sentence, then the id on its own line so people can quote it. */
function slackPayload(alert: Alert): { text: string } {
  return { text: `${slackEscape(alert.message)}\nspendkit alert id: ${slackEscape(alert.id)}` };
}

/**
 * Slack reads `<…>` as links and mentions and `&` as the start of an entity; its documentation
 * asks for exactly these three to be escaped, and nothing else.
 */
function slackEscape(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

/**
 * The sample `spendkit alerts --test` sends: a plausible budget crossing, labelled as a test in
 * its id, rule name and message so nobody acts on it. The id carries the time, so a receiver
 * that drops repeated ids still shows a second test.
 */
export function sampleAlert(now: Date): Alert {
  const month = periodAt("month", now);
  return {
    id: `test-${now.getTime()}`,
    rule: { kind: "budget", name: "spendkit-test" },
    scope: {},
    period: { start: month.start.toISOString(), end: month.end.toISOString() },
    threshold: "0.8",
    observed: "400.00",
    limit: "500.00",
    currency: "USD",
    firedAt: now.toISOString(),
    message:
      "TEST from spendkit, nothing to do: a sample of a monthly budget alert (400.00 USD spent of 500.00 USD, past its 80% threshold).",
  };
}
