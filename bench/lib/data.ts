// ByteSpike-shaped wallet transactions, generated on the fly from their position, so that a
// million-row "account" costs no memory: row k (1 = oldest … rows = newest) was booked at
// `end - (rows - k)` seconds, and every field is a cheap function of k.

const KINDS = ["topup", "refund", "admin_credit", "admin_debit", "subscription_renew"] as const;

/** Seconds between two consecutive rows. */
export const SPACING_MS = 1_000;

let minuteKey = Number.NaN;
let minutePrefix = "";

function iso(ms: number): string {
  // ByteSpike writes whole seconds: 2026-05-21T14:08:11Z. Rows are one second apart, so the
  // "YYYY-MM-DDTHH:MM:" prefix is formatted once a minute, not once a row.
  const minute = Math.floor(ms / 60_000);
  if (minute !== minuteKey) {
    minuteKey = minute;
    minutePrefix = new Date(minute * 60_000).toISOString().slice(0, 17);
  }
  const seconds = Math.floor(ms / 1000) % 60;
  return `${minutePrefix}${seconds < 10 ? "0" : ""}${seconds}Z`;
}

function money(cents: number): string {
  // A float with at most two decimals, as the API sends it (amount_usd: 50, 0.37, -2.5).
  return String(cents / 100);
}

/** The JSON text of row k of a dataset whose newest row (k = rows) was booked at `endMs`. */
export function rowJson(k: number, rows: number, endMs: number): string {
  const kind = KINDS[k % KINDS.length]!;
  const at = iso(endMs - (rows - k) * SPACING_MS);
  const size = (k * 7919) % 10_000;
  let amount: string;
  let source: string;
  let note = "null";
  switch (kind) {
    case "topup":
      amount = money(1_000 + size * 10);
      source = `{"provider":"stripe","receipt_id":"ch_${k.toString(36)}","method":"card_visa_4242"}`;
      break;
    case "refund":
      amount = money(1 + (size % 500));
      source = "{}";
      break;
    case "admin_credit":
      amount = money(100 + (size % 2_000));
      source = '{"actor":"ops@bytespike.ai"}';
      note = `"goodwill credit, ticket ${k}"`;
      break;
    case "admin_debit":
      amount = money(-(50 + (size % 1_000)));
      source = '{"actor":"ops@bytespike.ai"}';
      note = `"chargeback, ticket ${k}"`;
      break;
    default:
      amount = money(-2_000);
      source = "{}";
  }
  const balance = money(100_000 + ((k * 104_729) % 9_000_000));
  return `{"id":${k},"created_at":"${at}","kind":"${kind}","amount_usd":${amount},"balance_after_usd":${balance},"source":${source},"note":${note}}`;
}

/**
 * One page, newest first, of the rows booked in [since, until): the same arithmetic the real
 * API does with a database, without one.
 */
export function pageJson({
  rows,
  endMs,
  page,
  pageSize,
  sinceMs,
  untilMs,
}: {
  rows: number;
  endMs: number;
  page: number;
  pageSize: number;
  sinceMs?: number | undefined;
  untilMs?: number | undefined;
}): string {
  // Row k was booked at endMs - (rows - k) * SPACING_MS.
  const kOf = (ms: number) => rows - (endMs - ms) / SPACING_MS;
  const newest = Math.min(rows, untilMs === undefined ? rows : Math.ceil(kOf(untilMs)) - 1);
  const oldest = Math.max(1, sinceMs === undefined ? 1 : Math.ceil(kOf(sinceMs)));
  const total = Math.max(0, newest - oldest + 1);
  const first = newest - (page - 1) * pageSize;
  const last = Math.max(oldest, first - pageSize + 1);
  const parts: string[] = [];
  for (let k = first; k >= last; k--) parts.push(rowJson(k, rows, endMs));
  return `{"items":[${parts.join(",")}],"total":${total},"page":${page},"page_size":${pageSize}}`;
}
