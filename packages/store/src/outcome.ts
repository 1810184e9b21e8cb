import type { Queryable } from "./database.js";
import { storableText } from "./storable-text.js";
import type { AccountRef } from "./types.js";

/**
 * A sync of the account failed: its error (one line), and one more failure counted. The count
 * only grows (spendkit serve exposes it as a Prometheus counter).
 */
export async function recordSyncFailure(
  db: Queryable,
  account: AccountRef,
  error: unknown,
): Promise<void> {
  await db.query(
    `INSERT INTO sync_state AS s (provider, account, last_error, last_error_at, failure_count)
     VALUES ($1, $2, $3, now(), 1)
     ON CONFLICT (provider, account) DO UPDATE SET last_error = EXCLUDED.last_error,
       last_error_at = EXCLUDED.last_error_at, failure_count = s.failure_count + 1`,
    [account.provider, account.account, describeError(error)],
  );
}

/**
 * A sync of an account without entries (a provider that reports balances only) succeeded: its
 * balances were read and recorded. Accounts with entries record theirs in `syncAccount`.
 */
export async function recordSyncSuccess(db: Queryable, account: AccountRef): Promise<void> {
  await db.query(
    `INSERT INTO sync_state AS s (provider, account, last_started, last_success)
     VALUES ($1, $2, now(), now())
     ON CONFLICT (provider, account) DO UPDATE SET last_started = EXCLUDED.last_started,
       last_success = EXCLUDED.last_success, last_error = NULL, last_error_at = NULL`,
    [account.provider, account.account],
  );
}

/**
 * An error as one line for the sync state: its class and message (which never hold a key, but
 * may quote what a provider sent, so are made storable).
 */
export function describeError(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return storableText(text.split("\n")[0]!.slice(0, 500));
}
