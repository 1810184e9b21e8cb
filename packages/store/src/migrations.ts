import type { Database, Queryable } from "./database.js";

/**
 * The schema, as an ordered list of migrations. Each runs once, in its own transaction, and is
 * recorded in `schema_migrations`; a released migration is never edited, only followed by a new
 * one. One SQL dialect for both engines: PGlite is PostgreSQL compiled to WebAssembly.
 *
 * Everything lives in the schema `spendkit`, so that a team's PostgreSQL database can hold the
 * store next to other tables.
 */
export const SCHEMA = "spendkit";

export const MIGRATIONS: readonly { version: number; name: string; sql: string }[] = [
  {
    version: 1,
    name: "ledger entries, revisions, sync state, audit events, balance snapshots",
    sql: `
      -- ISO 8601 UTC with milliseconds, the ledger's time format, whatever the connection's time zone.
      CREATE FUNCTION iso_utc(t timestamptz) RETURNS text LANGUAGE sql STABLE
        AS $$ SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') $$;

      CREATE TABLE entries (
        provider      text        NOT NULL,
        account       text        NOT NULL,
        id            text        NOT NULL,
        time          timestamptz NOT NULL,
        kind          text        NOT NULL,
        amount        numeric     NOT NULL,
        balance_after numeric,
        currency      text        NOT NULL,
        description   text,
        model         text,
        reference     text,
        raw           jsonb       NOT NULL,
        first_seen    timestamptz NOT NULL,
        last_seen     timestamptz NOT NULL,
        revision      integer     NOT NULL DEFAULT 1,
        vanished_at   timestamptz,
        PRIMARY KEY (provider, account, id)
      );
      -- A sync's window and the vanished-row check read one account by time.
      CREATE INDEX entries_account_time ON entries (provider, account, time);
      -- Exports read every account in ledger order.
      CREATE INDEX entries_ledger_order ON entries (time, provider, account, id);

      -- The content an entry had before each change; entries.revision is the current one.
      CREATE TABLE entry_revisions (
        provider      text        NOT NULL,
        account       text        NOT NULL,
        id            text        NOT NULL,
        revision      integer     NOT NULL,
        time          timestamptz NOT NULL,
        kind          text        NOT NULL,
        amount        numeric     NOT NULL,
        balance_after numeric,
        currency      text        NOT NULL,
        description   text,
        model         text,
        reference     text,
        raw           jsonb       NOT NULL,
        replaced_at   timestamptz NOT NULL,
        PRIMARY KEY (provider, account, id, revision),
        FOREIGN KEY (provider, account, id) REFERENCES entries (provider, account, id)
      );

      CREATE TABLE sync_state (
        provider        text        NOT NULL,
        account         text        NOT NULL,
        -- The latest entry time committed: the next sync reads from here minus the overlap.
        high_water_mark timestamptz,
        -- The end of the last window read completely.
        synced_until    timestamptz,
        last_started    timestamptz,
        last_success    timestamptz,
        last_error      text,
        last_error_at   timestamptz,
        PRIMARY KEY (provider, account)
      );

      CREATE TABLE audit_events (
        id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        kind        text        NOT NULL,
        provider    text        NOT NULL,
        account     text        NOT NULL,
        entry_id    text,
        -- What the event is about, so that one open event per subject is kept (an entry id, an
        -- entry revision, or a check's name).
        subject     text        NOT NULL,
        detail      jsonb       NOT NULL DEFAULT '{}',
        created_at  timestamptz NOT NULL,
        resolved_at timestamptz
      );
      CREATE UNIQUE INDEX audit_events_open
        ON audit_events (kind, provider, account, subject) WHERE resolved_at IS NULL;

      CREATE TABLE balance_snapshots (
        provider text        NOT NULL,
        account  text        NOT NULL,
        taken_at timestamptz NOT NULL,
        balance  numeric     NOT NULL,
        PRIMARY KEY (provider, account, taken_at)
      );
    `,
  },
  {
    version: 2,
    name: "row counts and daily rollups; an index in running-balance order",
    sql: `
      -- What status shows, kept as rows change instead of counted over the whole history.
      ALTER TABLE sync_state
        ADD COLUMN entry_count bigint NOT NULL DEFAULT 0,
        ADD COLUMN vanished_count bigint NOT NULL DEFAULT 0;

      -- Per account, UTC day and kind: the sum and number of the entries still listed (not
      -- vanished). A balance at any moment is the rollup of the days before it plus the rows
      -- of its own day: a report, reconcile's sum check and the opening balance of a window cost
      -- days, not rows. Kept, like the counts above, by the statements that change entries
      -- (upsert.ts), in the same statement: a crash leaves both or neither.
      CREATE TABLE entry_days (
        provider text    NOT NULL,
        account  text    NOT NULL,
        day      date    NOT NULL,
        kind     text    NOT NULL,
        amount   numeric NOT NULL,
        entries  bigint  NOT NULL,
        PRIMARY KEY (provider, account, day, kind)
      );

      -- The running balance's order (reconcile, the report's balance points and opening
      -- balance): read from the index instead of sorting the account's history.
      CREATE INDEX entries_balance_order ON entries (provider, account, time, length(id), id)
        WHERE balance_after IS NOT NULL AND vanished_at IS NULL;

      -- The history stored before this migration.
      INSERT INTO sync_state AS s (provider, account, entry_count, vanished_count)
      SELECT provider, account, count(*), count(vanished_at) FROM entries GROUP BY provider, account
      ON CONFLICT (provider, account) DO UPDATE SET
        entry_count = EXCLUDED.entry_count, vanished_count = EXCLUDED.vanished_count;
      INSERT INTO entry_days (provider, account, day, kind, amount, entries)
      SELECT provider, account, (time AT TIME ZONE 'UTC')::date, kind, sum(amount), count(*)
      FROM entries WHERE vanished_at IS NULL
      GROUP BY provider, account, (time AT TIME ZONE 'UTC')::date, kind;
    `,
  },
  {
    version: 3,
    name: "attribution: the project and the API key an entry is spent by",
    sql: `
      -- Cost reports attribute spend to a project (an OpenAI project, an Anthropic workspace)
      -- and to a key (its id). Columns, not raw JSON: reports group by them.
      ALTER TABLE entries ADD COLUMN project text, ADD COLUMN api_key text;
      ALTER TABLE entry_revisions ADD COLUMN project text, ADD COLUMN api_key text;
    `,
  },
  {
    version: 4,
    name: "currencies: each account's ledger currency, balance snapshots per currency",
    sql: `
      -- An account's entries are all in one currency, its ledger currency: a running balance
      -- (balance_after) and a sum over the history only mean something in one, and a provider
      -- bills an account in one. NULL until the account's first entry is stored; a batch in
      -- another currency is refused (currency.ts), so that nothing adds one currency to another.
      ALTER TABLE sync_state ADD COLUMN currency text CHECK (currency ~ '^[A-Z]{3}$');

      -- An account stored before whose entries are in more than one currency has no ledger
      -- currency to record: the migration fails, naming it, rather than pick one.
      DO $$
      DECLARE mixed text;
      BEGIN
        SELECT provider || '/' || account INTO mixed FROM entries
        GROUP BY provider, account HAVING count(DISTINCT currency) > 1 LIMIT 1;
        IF mixed IS NOT NULL THEN
          RAISE EXCEPTION 'the entries of % are in more than one currency; an account''s entries must all be in one', mixed;
        END IF;
      END $$;

      -- The accounts stored before: the currency of their entries.
      INSERT INTO sync_state AS s (provider, account, currency)
      SELECT provider, account, min(currency) FROM entries GROUP BY provider, account
      ON CONFLICT (provider, account) DO UPDATE SET currency = EXCLUDED.currency;

      -- A provider may hold one account's money in several currencies (a balance in yuan and
      -- one in dollars): one snapshot per currency, taken at the same moment. Every balance read
      -- before this migration was in US dollars.
      ALTER TABLE balance_snapshots
        ADD COLUMN currency text NOT NULL DEFAULT 'USD' CHECK (currency ~ '^[A-Z]{3}$');
      ALTER TABLE balance_snapshots ALTER COLUMN currency DROP DEFAULT;
      -- In the order snapshots are listed and looked up: an account's currency, then time.
      ALTER TABLE balance_snapshots
        DROP CONSTRAINT balance_snapshots_pkey,
        ADD PRIMARY KEY (provider, account, currency, taken_at);
    `,
  },
  {
    version: 5,
    name: "alerts: crossings fired, their deliveries, conditions holding; sync failures counted",
    sql: `
      -- Every sync that failed, counted (a Prometheus counter: it only grows).
      ALTER TABLE sync_state ADD COLUMN failure_count bigint NOT NULL DEFAULT 0;

      -- One row per crossing that fired: (rule, subject, period, threshold) is unique, so a
      -- crossing fires once whatever runs the evaluation, how often, or in how many processes:
      -- the one whose insert lands delivers it. id is the alert's idempotency key.
      CREATE TABLE alert_firings (
        id           text        PRIMARY KEY,
        rule         text        NOT NULL,
        kind         text        NOT NULL,
        subject      text        NOT NULL,
        period_start timestamptz NOT NULL,
        threshold    numeric     NOT NULL,
        alert        jsonb       NOT NULL,
        fired_at     timestamptz NOT NULL,
        UNIQUE (rule, subject, period_start, threshold)
      );
      CREATE INDEX alert_firings_recent ON alert_firings (fired_at DESC);

      -- Per alert and webhook: delivered, given up on (undeliverable), or still due (neither).
      -- A process sending one claims it until claimed_until, so that two never send it at
      -- once; a claim left by a crash runs out.
      CREATE TABLE alert_deliveries (
        alert_id      text        NOT NULL REFERENCES alert_firings (id),
        webhook       text        NOT NULL,
        attempts      integer     NOT NULL DEFAULT 0,
        claimed_until timestamptz,
        delivered_at  timestamptz,
        given_up_at   timestamptz,
        last_error    text,
        PRIMARY KEY (alert_id, webhook)
      );
      CREATE INDEX alert_deliveries_due ON alert_deliveries (alert_id)
        WHERE delivered_at IS NULL AND given_up_at IS NULL;

      -- A balance or runway rule's condition that holds now, since when: it fires once when it
      -- begins (its period is that moment), and the row goes when it recovers, so that the next
      -- time it holds fires again.
      CREATE TABLE alert_conditions (
        rule    text        NOT NULL,
        subject text        NOT NULL,
        since   timestamptz NOT NULL,
        PRIMARY KEY (rule, subject)
      );
    `,
  },
  {
    version: 6,
    name: "raw provider records as json: kept as received, loaded without a parse into jsonb",
    sql: `
      -- jsonb parses and rebuilds every record as it is stored: most of a bulk load's work on
      -- PGlite. json keeps the text as the provider sent it (its key order too); changes are
      -- still found by content, comparing the two as jsonb (upsert.ts).
      ALTER TABLE entries ALTER COLUMN raw TYPE json USING raw::json;
      ALTER TABLE entry_revisions ALTER COLUMN raw TYPE json USING raw::json;
    `,
  },
];

/** An arbitrary constant: the advisory lock key of schema changes. */
const MIGRATION_LOCK = 7_305_117_001;

/**
 * Brings the schema up to date. Concurrent openers of one PostgreSQL database are serialised by
 * a transaction-scoped advisory lock; each pending migration commits together with its record.
 */
export async function migrate(db: Database): Promise<number[]> {
  return db.transaction(async (tx) => {
    await tx.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK]);
    await tx.query(`CREATE SCHEMA IF NOT EXISTS ${SCHEMA}`);
    await tx.query(
      `CREATE TABLE IF NOT EXISTS ${SCHEMA}.schema_migrations (
         version    integer     PRIMARY KEY,
         name       text        NOT NULL,
         applied_at timestamptz NOT NULL DEFAULT now()
       )`,
    );
    const applied = new Set(await appliedVersions(tx));
    const ran: number[] = [];
    for (const migration of MIGRATIONS) {
      if (applied.has(migration.version)) continue;
      await tx.query(`SET LOCAL search_path TO ${SCHEMA}`);
      for (const statement of splitStatements(migration.sql)) await tx.query(statement);
      await tx.query(`INSERT INTO ${SCHEMA}.schema_migrations (version, name) VALUES ($1, $2)`, [
        migration.version,
        migration.name,
      ]);
      ran.push(migration.version);
    }
    return ran;
  });
}

/** The versions of the migrations applied to a store, in order. */
export async function appliedVersions(db: Queryable): Promise<number[]> {
  const rows = await db.query<{ version: number }>(
    `SELECT version FROM ${SCHEMA}.schema_migrations ORDER BY version`,
  );
  return rows.map((row) => Number(row.version));
}

/**
 * The statements of a migration, one per `query` call (a parameterised query takes one
 * statement): split at semicolons that end a line, outside `$$` bodies.
 */
export function splitStatements(sql: string): string[] {
  const statements: string[] = [];
  let current = "";
  let inBody = false;
  for (const line of sql.split("\n")) {
    const trimmed = line.trim();
    if (trimmed.startsWith("--") || trimmed === "") continue;
    current += `${line}\n`;
    if ((line.match(/\$\$/g)?.length ?? 0) % 2 === 1) inBody = !inBody;
    if (!inBody && trimmed.endsWith(";")) {
      statements.push(current.trim().replace(/;$/, ""));
      current = "";
    }
  }
  if (current.trim()) statements.push(current.trim());
  return statements;
}
