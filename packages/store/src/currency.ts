import type { Queryable } from "./database.js";
import { CurrencyError } from "./errors.js";
import type { AccountRef, StoreEntry } from "./types.js";

/** ISO 4217 as the ledger writes it: three upper-case letters. */
const ISO_4217 = /^[A-Z]{3}$/;

/** An account as messages name it. */
export const accountLabel = (account: AccountRef) => `${account.provider}/${account.account}`;

/** `code`, if it is an ISO 4217 code in upper case; else a CurrencyError saying whose it is. */
export function currencyCode(account: AccountRef, code: unknown, whose: string): string {
  if (typeof code === "string" && ISO_4217.test(code)) return code;
  const shown = typeof code === "string" ? JSON.stringify(code.slice(0, 16)) : `a ${typeof code}`;
  throw new CurrencyError(
    `${accountLabel(account)}: ${whose} has currency ${shown}, not an ISO 4217 code (three upper-case letters)`,
  );
}

/**
 * The one currency of a batch, in one pass over it: every entry's code must be the first one's
 * (checked once), since an account's running balance and sums only mean something in one
 * currency. Undefined for an empty batch.
 */
export function batchCurrency(
  account: AccountRef,
  entries: readonly StoreEntry[],
): string | undefined {
  const [first] = entries;
  if (!first) return undefined;
  const currency = currencyCode(account, first.currency, `entry ${first.id}`);
  for (const entry of entries) {
    if (entry.currency === currency) continue;
    const other = currencyCode(account, entry.currency, `entry ${entry.id}`);
    throw new CurrencyError(
      `${accountLabel(account)}: one batch holds entries in ${currency} and in ${other} (entry ${entry.id}); an account's entries are all in one currency`,
    );
  }
  return currency;
}

/**
 * Records `currency` as the account's ledger currency if it has none yet (its first entries),
 * and refuses entries in any other: one statement per batch, on the account's sync_state row
 * that the batch's counts update anyway. Throws CurrencyError before the batch is loaded; the
 * caller's transaction then rolls back, and a refused batch has changed nothing (the row keeps
 * its currency).
 */
export async function claimLedgerCurrency(
  tx: Queryable,
  account: AccountRef,
  currency: string,
): Promise<void> {
  const [row] = await tx.query<{ currency: string }>(
    `INSERT INTO sync_state AS s (provider, account, currency) VALUES ($1, $2, $3)
     ON CONFLICT (provider, account) DO UPDATE SET currency = coalesce(s.currency, EXCLUDED.currency)
     RETURNING currency`,
    [account.provider, account.account, currency],
  );
  const ledger = row!.currency;
  if (ledger !== currency) {
    throw new CurrencyError(
      `${accountLabel(account)}: entries in ${currency}, but the account's ledger is in ${ledger}; an account's entries are all in one currency, and nothing adds ${currency} to ${ledger}`,
    );
  }
}

/** The account's ledger currency: undefined until its first entry is stored. */
export async function ledgerCurrency(
  db: Queryable,
  account: AccountRef,
): Promise<string | undefined> {
  const [row] = await db.query<{ currency: string | null }>(
    "SELECT currency FROM sync_state WHERE provider = $1 AND account = $2",
    [account.provider, account.account],
  );
  return row?.currency ?? undefined;
}
