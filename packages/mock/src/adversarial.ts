// Hostile provider data for the adversarial suites (the ledger's and the CLI's): ByteSpike-shaped
// wallet rows served by the fixture server, so that real clients read them over loopback.
import type { Fixture } from "./fixture.js";

export const TRANSACTIONS = "GET /api/v1/me/billing/transactions";
export const KEY = "sk-byts-adversarial-5ecret-key-0042";

/** A well-formed ByteSpike transaction, one minute after 2026-01-01 per `n`. */
export function transaction(n: number, fields: Record<string, unknown> = {}) {
  return {
    id: 9000 + n,
    created_at: new Date(Date.parse("2026-01-01T00:00:00Z") + n * 60_000).toISOString(),
    kind: "topup",
    amount_usd: 1.25,
    balance_after_usd: 10,
    source: {},
    note: null,
    ...fields,
  };
}

/**
 * Answers `listTransactions` like ByteSpike does: newest first, `page`/`page_size` honoured,
 * `total` the number of rows; `rows` are given oldest first. `transform` may rewrite a page.
 */
export function serveTransactions(
  fixture: Fixture,
  rows: readonly unknown[],
  transform: (page: number, items: unknown[]) => { items: unknown[]; total?: unknown } = (
    _page,
    items,
  ) => ({ items }),
) {
  const newest = [...rows].reverse();
  fixture.route(TRANSACTIONS, (request) => {
    const page = Number(request.query.get("page") ?? 1);
    const size = Number(request.query.get("page_size") ?? 50);
    const answer = transform(page, newest.slice((page - 1) * size, page * size));
    return {
      json: {
        items: answer.items,
        total: "total" in answer ? answer.total : rows.length,
        page,
        page_size: size,
      },
    };
  });
}

/** Control characters other than LF (C0, DEL, C1) and bidi overrides: none may reach a terminal. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
export const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
