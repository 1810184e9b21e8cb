/**
 * One ledger entry as the store keeps it: the shape `spendkit`'s adapters yield (`LedgerEntry`),
 * restated here so that the store depends on no provider package. Amounts are exact decimal
 * strings, times ISO 8601 UTC.
 */
export interface StoreEntry {
  provider: string;
  id: string;
  time: string;
  kind: string;
  amount: string;
  balanceAfter?: string | undefined;
  currency: string;
  description?: string | undefined;
  model?: string | undefined;
  reference?: string | undefined;
  /** Attribution: the project or workspace, and the API key id, that spent it. */
  project?: string | undefined;
  apiKey?: string | undefined;
  raw: unknown;
}

/** An account is a provider plus the name it was given in the configuration. */
export interface AccountRef {
  provider: string;
  account: string;
}

/** A stored entry, with the account it belongs to. */
export interface StoredEntry extends StoreEntry {
  account: string;
}

/** The window a sync reads: `[since, until)`; no `since` means from the beginning. */
export interface SyncWindow {
  since?: Date | undefined;
  until: Date;
}

/**
 * Where a sync reads an account's entries: ascending time order, in batches (a page each) —
 * exactly what `adapterOf(name).entries(client, { window, signal, warn })` yields.
 */
export type EntrySource = (
  window: SyncWindow,
  signal: AbortSignal,
) => AsyncIterable<readonly StoreEntry[]>;
