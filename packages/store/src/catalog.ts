import type { Queryable } from "./database.js";
import { StoreError } from "./errors.js";
import { SCHEMA } from "./migrations.js";

/** A store table as the database's catalog describes it. */
export interface StoreTable {
  name: string;
  /** Its columns in table order, less generated ones (which cannot be written). */
  columns: string[];
  /** Its primary key's columns in key order: the order a copy reads it in. */
  key: string[];
  /** The other store tables its foreign keys reference. */
  references: string[];
}

/**
 * The store's tables, read from the catalog rather than listed by hand so that a table a later
 * migration adds is never left out: every ordinary or partitioned table of the schema (not the
 * partitions, whose rows their parent holds), less `schema_migrations`, which every opened
 * store keeps for itself. In dependency order: a table comes after those it references.
 */
export async function storeTables(db: Queryable): Promise<StoreTable[]> {
  const rows = await db.query<{
    name: string;
    columns: string[];
    key: string[] | null;
    refs: string[] | null;
  }>(
    `SELECT c.relname::text AS name,
       ARRAY(SELECT a.attname::text FROM pg_attribute a
             WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
             ORDER BY a.attnum) AS columns,
       (SELECT array_agg(a.attname::text ORDER BY k.n)
        FROM pg_index i CROSS JOIN unnest(i.indkey) WITH ORDINALITY AS k(attnum, n)
        JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
        WHERE i.indrelid = c.oid AND i.indisprimary) AS key,
       (SELECT array_agg(DISTINCT r.relname::text) FROM pg_constraint f
        JOIN pg_class r ON r.oid = f.confrelid
        WHERE f.conrelid = c.oid AND f.contype = 'f' AND f.confrelid <> c.oid
          AND r.relnamespace = c.relnamespace) AS refs
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND NOT c.relispartition
       AND c.relname <> 'schema_migrations'
     ORDER BY c.relname`,
    [SCHEMA],
  );
  return dependencyOrder(
    rows.map((row) => {
      if (!row.key) {
        throw new StoreError(
          `the store table ${row.name} has no primary key: it cannot be read in pages`,
        );
      }
      return { name: row.name, columns: row.columns, key: row.key, references: row.refs ?? [] };
    }),
  );
}

/** Tables ordered so that each follows those it references; otherwise by name. */
export function dependencyOrder(tables: readonly StoreTable[]): StoreTable[] {
  const ordered: StoreTable[] = [];
  const known = new Set(tables.map((table) => table.name));
  const placed = new Set<string>();
  const pending = [...tables];
  while (pending.length > 0) {
    const ready = pending.findIndex((table) =>
      table.references.every((name) => placed.has(name) || !known.has(name)),
    );
    if (ready < 0) {
      throw new StoreError(
        `the store tables ${pending.map((t) => t.name).join(", ")} reference each other: no order to copy them in`,
      );
    }
    const [table] = pending.splice(ready, 1);
    ordered.push(table!);
    placed.add(table!.name);
  }
  return ordered;
}

/** The store's sequences (an identity column's, a serial's): their state is the store's too. */
export async function storeSequences(db: Queryable): Promise<string[]> {
  const rows = await db.query<{ name: string }>(
    `SELECT c.relname::text AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = $1 AND c.relkind = 'S' ORDER BY c.relname`,
    [SCHEMA],
  );
  return rows.map((row) => row.name);
}

/** A name from the catalog as an SQL identifier. */
export const identifier = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** A store table or sequence, schema-qualified, as an SQL identifier. */
export const qualified = (name: string) => `${SCHEMA}.${identifier(name)}`;
