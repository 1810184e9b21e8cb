import type { Queryable } from "./database.js";
import type { Store } from "./store.js";
import type { AccountRef } from "./types.js";

/**
 * Kinds of audit event: `changed` (an entry's content changed, with the revision), `vanished`
 * (no longer listed by the provider), `reappeared`, `adjustment` (a credit or debit by the
 * provider's staff), `balance_break` (a running balance that does not add up at an entry),
 * `balance_mismatch` (a provider's balance that differs from what the entries add up to).
 */
export type AuditKind =
  | "changed"
  | "vanished"
  | "reappeared"
  | "adjustment"
  | "balance_break"
  | "balance_mismatch";

export interface AuditEvent {
  id: number;
  kind: string;
  provider: string;
  account: string;
  entryId?: string | undefined;
  subject: string;
  detail: Record<string, unknown>;
  createdAt: string;
  resolvedAt?: string | undefined;
}

export interface NewAuditEvent extends AccountRef {
  kind: AuditKind;
  entryId?: string | undefined;
  subject: string;
  detail: Record<string, unknown>;
}

/** Records an event, unless one of the same kind and subject is still open. True if recorded. */
export async function recordAuditEvent(db: Queryable, event: NewAuditEvent): Promise<boolean> {
  const rows = await db.query(
    `INSERT INTO audit_events (kind, provider, account, entry_id, subject, detail, created_at)
     VALUES ($1, $2, $3, $4, $5, $6::jsonb, now())
     ON CONFLICT DO NOTHING RETURNING id`,
    [
      event.kind,
      event.provider,
      event.account,
      event.entryId ?? null,
      event.subject,
      JSON.stringify(event.detail),
    ],
  );
  return rows.length === 1;
}

/** Resolves the account's open events of `kind` whose subject is not in `keep`. */
export async function resolveAuditEvents(
  db: Queryable,
  account: AccountRef,
  kind: AuditKind,
  keep: readonly string[],
): Promise<number> {
  const rows = await db.query(
    `UPDATE audit_events SET resolved_at = now()
     WHERE provider = $1 AND account = $2 AND kind = $3 AND resolved_at IS NULL
       AND NOT (subject = ANY ($4::text[]))
     RETURNING id`,
    [account.provider, account.account, kind, [...keep]],
  );
  return rows.length;
}

/** Audit events, oldest first: the open ones, or all. */
export async function listAuditEvents(
  store: Store,
  options: { includeResolved?: boolean } = {},
): Promise<AuditEvent[]> {
  const rows = await store.db.query<Record<string, unknown>>(
    `SELECT id::text AS id, kind, provider, account, entry_id, subject, detail::text AS detail,
            iso_utc(created_at) AS created_at, iso_utc(resolved_at) AS resolved_at
     FROM audit_events WHERE $1 OR resolved_at IS NULL ORDER BY id`,
    [options.includeResolved === true],
  );
  return rows.map((row) => ({
    id: Number(row.id),
    kind: String(row.kind),
    provider: String(row.provider),
    account: String(row.account),
    entryId: (row.entry_id as string | null) ?? undefined,
    subject: String(row.subject),
    detail: JSON.parse(String(row.detail)),
    createdAt: String(row.created_at),
    resolvedAt: (row.resolved_at as string | null) ?? undefined,
  }));
}
