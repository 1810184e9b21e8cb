import { setImmediate as macrotask } from "node:timers/promises";
import { follow, InputError } from "@spendkit/core";
import { adapterOf, isProviderName, providerNames } from "./adapters/index.js";
import { flatten, mergeSorted } from "./merge.js";
import { PAGES } from "./pages.js";
import { RecentIds } from "./recent.js";
import { compareEntries, isoTime } from "./time.js";
import type { LedgerClients, LedgerEntry, LedgerWindow, ProviderName } from "./types.js";

/** Entries between two turns of the event loop. */
const YIELD_EVERY = 500;

/**
 * Ids remembered per provider for de-duplication: many pages' worth, so that a row a server
 * repeats out of order (a shifted or repeated page) is still caught, in constant memory.
 */
const RECENT_IDS = 10_000;

/** A window bound in booking-time form; bounds beyond the years 1970–9999 are clamped to them. */
function canonicalBound(date: Date): string {
  const ms = Math.min(Math.max(date.getTime(), 0), Date.UTC(9999, 11, 31, 23, 59, 59, 999));
  return new Date(ms).toISOString();
}

export interface LedgerOptions {
  /** Inclusive start of the window (a Date or an ISO 8601 string). Default: the beginning. */
  since?: Date | string | undefined;
  /**
   * Exclusive end of the window. Default, and at most: the moment `ledger()` is called. It is
   * pinned then, so rows booked during the export neither shift pages nor join half-way.
   */
  until?: Date | string | undefined;
  /** Only these providers (each needs its client). Default: every provider with a client. */
  providers?: readonly ProviderName[] | undefined;
  /** Aborts every request in flight and ends the iteration with the abort reason. */
  signal?: AbortSignal | undefined;
  /**
   * Called when a provider fails (API or network error, after the client's retries). With it, the
   * ledger goes on with the other providers; without it, the iteration throws the error.
   */
  onError?: ((provider: ProviderName, error: unknown) => void) | undefined;
  /**
   * Called for each provider record that is not booked although it may be money (an unknown
   * type, a timestamp that does not parse, rows out of order). Default: `process.emitWarning`.
   */
  onWarning?: ((provider: ProviderName, message: string) => void) | undefined;
}

/**
 * Every movement of money across the given clients in the window [since, until), merged in
 * ascending time order (ties: provider, then id), de-duplicated by (provider, id).
 *
 * It streams: each provider's adapter yields its entries in time order a page at a time, and a
 * k-way merge holds the current page of each provider. De-duplication keeps, per provider, only
 * the ids seen at the current timestamp: a duplicate of a time-ordered stream has the same time,
 * so memory does not grow with the number of rows.
 *
 * Input is checked before any request: a bad date, `since` not before `until`, an unknown
 * provider or a requested provider without a client throw an `InputError` right away.
 */
export function ledger(
  clients: LedgerClients,
  options: LedgerOptions = {},
): AsyncIterable<LedgerEntry> {
  const pages = ledgerPages(clients, options);
  // Also readable in batches by the writers (see PAGES): the same single pass either way.
  return {
    [Symbol.asyncIterator]: () => flatten(pages)[Symbol.asyncIterator](),
    [PAGES]: () => pages,
  } as AsyncIterable<LedgerEntry>;
}

/**
 * The same ledger as `ledger()`, in batches (arrays of consecutive entries, in order, never
 * empty): for consumers of many rows that would rather not pay one await per entry. Same
 * options, same checks (thrown at once), same order.
 */
export function ledgerPages(
  clients: LedgerClients,
  options: LedgerOptions = {},
): AsyncIterable<LedgerEntry[]> {
  const now = new Date();
  const since = options.since === undefined ? undefined : toDate(options.since, "since");
  const requestedUntil = options.until === undefined ? now : toDate(options.until, "until");
  const until = requestedUntil.getTime() > now.getTime() ? now : requestedUntil;
  if (since && since.getTime() >= until.getTime()) {
    throw new InputError("since", "window", "must be before until (and before now)");
  }
  const names = selectProviders(clients, options.providers);
  const window: LedgerWindow = { since, until };
  return run(clients, names, window, options);
}

function toDate(value: Date | string, field: string): Date {
  const date =
    value instanceof Date ? new Date(value.getTime()) : new Date(Date.parse(String(value)));
  if (Number.isNaN(date.getTime())) {
    throw new InputError(field, "format", "must be a valid date or ISO 8601 timestamp");
  }
  return date;
}

function selectProviders(
  clients: LedgerClients,
  providers: readonly string[] | undefined,
): ProviderName[] {
  if (clients === null || typeof clients !== "object") {
    throw new InputError(
      "clients",
      "type",
      `must be an object of clients ({ ${providerNames.map((name) => `${name}?`).join(", ")} })`,
    );
  }
  if (providers === undefined) return providerNames.filter((name) => clients[name] !== undefined);
  const names: ProviderName[] = [];
  for (const name of providers) {
    if (!isProviderName(name)) {
      throw new InputError(
        "providers",
        "enum",
        `unknown provider "${name}"; known: ${providerNames.join(", ")}`,
      );
    }
    if (clients[name] === undefined) {
      throw new InputError("providers", "required", `"${name}" was requested but has no client`);
    }
    if (!names.includes(name)) names.push(name);
  }
  return names;
}

async function* run(
  clients: LedgerClients,
  names: readonly ProviderName[],
  window: LedgerWindow,
  options: LedgerOptions,
): AsyncGenerator<LedgerEntry[], void, undefined> {
  const controller = new AbortController();
  const unfollow = follow(options.signal, controller);
  const warn =
    options.onWarning ??
    ((provider: ProviderName, message: string) =>
      process.emitWarning(`${provider}: ${message}`, { code: "SPENDKIT_LEDGER" }));
  const onError = options.onError;

  const sources = names.flatMap((name) => {
    const entries = adapterOf(name).entries;
    if (!entries) {
      warn(name, balanceOnlyNote(name));
      return [];
    }
    const batches = entries(clients[name], {
      window,
      signal: controller.signal,
      warn: (message: string) => warn(name, message),
    }) as AsyncIterable<readonly LedgerEntry[]>;
    return [{ name, batches }];
  });

  // Booking times all have toISOString's fixed-width form (checked below), so comparing them as
  // strings compares the instants; the bounds are written the same way.
  const since = window.since ? canonicalBound(window.since) : undefined;
  const until = canonicalBound(window.until);
  // Per provider: the latest time seen, and the ids seen lately (see RecentIds).
  const latest = new Map<string, { time: string; ids: RecentIds }>();
  let sinceTurn = 0;
  try {
    const merged = mergeSorted(
      sources,
      compareEntries,
      onError &&
        ((name, error) => {
          // An abort is the caller's decision, not a provider's failure.
          if (controller.signal.aborted) throw error;
          onError(name as ProviderName, error);
        }),
    );
    for await (const batch of merged) {
      const kept: LedgerEntry[] = [];
      for (const entry of batch) {
        if (isoTime(entry.time) !== entry.time) {
          warn(entry.provider, `entry ${entry.id} skipped: its time is not a canonical ISO time`);
          continue;
        }
        if ((since !== undefined && entry.time < since) || entry.time >= until) continue;
        let seen = latest.get(entry.provider);
        if (!seen) {
          seen = { time: entry.time, ids: new RecentIds(RECENT_IDS) };
          latest.set(entry.provider, seen);
        }
        if (seen.ids.seen(entry.id)) continue;
        if (entry.time < seen.time) {
          warn(
            entry.provider,
            `entry ${entry.id} (${entry.time}) arrived after ${seen.time}: out of order`,
          );
        } else {
          seen.time = entry.time;
        }
        kept.push(entry);
      }
      if (kept.length > 0) yield kept;
      // A fast source (a local server, a cache) can feed a whole export through microtasks
      // alone; give the event loop a turn now and then, so that signals (Ctrl-C), timers and
      // finalizers (undici's per-request abort bookkeeping) are not held off until the end.
      sinceTurn += batch.length;
      if (sinceTurn >= YIELD_EVERY) {
        sinceTurn = 0;
        await macrotask();
      }
    }
  } finally {
    unfollow();
    controller.abort();
  }
  options.signal?.throwIfAborted();
}

/** What the ledger says of a provider whose API reports balances and nothing else. */
export function balanceOnlyNote(name: ProviderName): string {
  return `${adapterOf(name).displayName} reports balances only: there are no entries to list (see spendkit balance)`;
}
