/** The four kinds of rule a config can hold (see rules.ts). */
export type RuleKind = "budget" | "balance" | "runway" | "spike";

/** What a rule covers; every field optional (absent: all). */
export interface AlertScope {
  provider?: string;
  account?: string;
  project?: string;
  model?: string;
}

/**
 * One crossing that fired: a rule, over a scope and a period, passed one of its thresholds. It
 * fires once (its state lives in the store); `id` is stable across retries and processes, so a
 * receiver that sees it twice (a crash between sending and recording) can drop the repeat.
 */
export interface Alert {
  /** Idempotency key: the same crossing always has the same id. */
  id: string;
  rule: { kind: RuleKind; name: string };
  scope: AlertScope;
  /**
   * The period the crossing belongs to, `[start, end)` in ISO 8601 UTC: a budget's day, week or
   * month; a spike's day; for a balance or runway rule, the moment the condition began (it fires
   * again only after it recovered, with a new start).
   */
  period: { start: string; end?: string };
  /** The threshold crossed, exact decimal text: a budget's ratio ("0.8"), a floor, days, a factor. */
  threshold: string;
  /** What was observed, exact decimal text: spend so far, a balance, days of runway, a day's spend. */
  observed: string;
  /** What it is measured against, exact decimal text: the budget, the floor, the baseline. */
  limit?: string;
  /** ISO 4217 of `observed` and `limit` (runway in days has none). */
  currency?: string;
  /** When it fired, ISO 8601 UTC. */
  firedAt: string;
  /** One sentence for people. */
  message: string;
}
