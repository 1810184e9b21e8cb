import { utcDay } from "@spendkit/ledger";

const DAY_MS = 86_400_000;

/** UTC days no sync can read any more, inclusive. */
export interface LostDays {
  first: string;
  last: string;
  count: number;
}

/**
 * The days lost to a provider that answers for its last `retentionDays` completed UTC days only
 * (OpenRouter's activity): those after what the store holds and before the oldest day the
 * provider still has. `storedUntil` is the first day the store may lack — the day of the last
 * successful sync, which read that day only in part. Nothing is lost when the store reaches into
 * what the provider still keeps.
 */
export function lostDays(
  storedUntil: Date,
  now: Date,
  retentionDays: number,
): LostDays | undefined {
  const firstKept = Date.parse(utcDay(now)) - retentionDays * DAY_MS;
  const first = Date.parse(utcDay(storedUntil));
  if (first >= firstKept) return undefined;
  return {
    first: utcDay(new Date(first)),
    last: utcDay(new Date(firstKept - DAY_MS)),
    count: (firstKept - first) / DAY_MS,
  };
}
