import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type Fixture,
  type FixtureRequest,
  type Handler,
  type ReplySpec,
  type RunningPostgres,
  startPostgres,
} from "@spendkit/mock";
import { openStore, type Store, type StoreLocation } from "@spendkit/store";

export const ENGINES = ["pglite", "postgres"] as const;
export type Engine = (typeof ENGINES)[number];

export const BYTESPIKE_KEY = "sk-byts-store-fixture-secret-dddd";
export const TRANSACTIONS = "GET /api/v1/me/billing/transactions";
export const ACCOUNT = "GET /api/v1/me/account";

/** ByteSpike's getAccount answer, with `available` dollars: a sync reads it after the rows. */
export function byteSpikeAccount(available = 100) {
  return {
    json: {
      user: {
        id: "u",
        username: "u",
        email: "u@example.com",
        created_at: "2026-01-01T00:00:00Z",
        tier: "pro",
      },
      balance: {
        available_usd: available,
        lifetime_topup_usd: 0,
        lifetime_spent_usd: 0,
        low_balance_threshold_usd: 0,
        low_balance_flagged: false,
      },
      allowed_models: [],
      org: null,
    },
  };
}

/** Routes ByteSpike's transactions to `handler`, and its account to a balance of 100.00. */
export function routeByteSpike(fixture: Fixture, handler: Handler | ReplySpec): void {
  fixture.route(TRANSACTIONS, handler);
  fixture.route(ACCOUNT, byteSpikeAccount());
}

export interface Transaction {
  id: number;
  created_at: string;
  kind: string;
  amount_usd: number;
  balance_after_usd: number;
  source: Record<string, string>;
  note: string | null;
}

/** `count` ByteSpike transactions, one minute apart from 2026-01-01, balances that add up. */
export function transactions(count: number, firstId = 1): Transaction[] {
  let balance = 1_000_000; // cents
  return Array.from({ length: count }, (_, i) => {
    const topup = i % 10 === 0;
    const cents = topup ? 5_000 : -37;
    balance += cents;
    return {
      id: firstId + i,
      created_at: new Date(Date.parse("2026-01-01T00:00:00Z") + (firstId + i) * 60_000)
        .toISOString()
        .replace(".000Z", "Z"),
      kind: topup ? "topup" : "subscription_renew",
      amount_usd: cents / 100,
      balance_after_usd: balance / 100,
      source: topup
        ? { provider: "stripe", receipt_id: `ch_${i}` }
        : ({} as Record<string, string>),
      note: null,
    };
  });
}

/** Answers like ByteSpike's listTransactions: newest first, since/until, page/page_size, total. */
export function transactionsHandler(rows: () => readonly Transaction[]) {
  return (request: FixtureRequest) => {
    const page = Number(request.query.get("page") ?? 1);
    const size = Number(request.query.get("page_size") ?? 50);
    const since = request.query.get("since");
    const until = request.query.get("until");
    const selected = rows()
      .filter((row) => !since || Date.parse(row.created_at) >= Date.parse(since))
      .filter((row) => !until || Date.parse(row.created_at) < Date.parse(until))
      .sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at));
    return {
      json: {
        items: selected.slice((page - 1) * size, page * size),
        total: selected.length,
        page,
        page_size: size,
      },
    };
  };
}

/**
 * A store location for a test file: a PGlite directory, or a PostgreSQL server started for the
 * file. `stop()` stops the server by PID and removes the files.
 */
export async function storeLocation(engine: Engine): Promise<{
  db: string;
  location: StoreLocation;
  dir: string;
  stop(): Promise<void>;
}> {
  const dir = mkdtempSync(join(tmpdir(), "spendkit-cli-store-"));
  let postgres: RunningPostgres | undefined;
  let location: StoreLocation;
  if (engine === "postgres") {
    postgres = await startPostgres();
    location = { engine: "postgres", url: postgres.url };
  } else {
    location = { engine: "pglite", path: join(dir, "store") };
  }
  return {
    db: location.engine === "postgres" ? location.url : location.path,
    location,
    dir,
    async stop() {
      await postgres?.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Opens the store, runs `fn`, closes it (an embedded store must be closed before the CLI runs). */
export async function inStore<T>(location: StoreLocation, fn: (store: Store) => Promise<T>) {
  const store = await openStore(location);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

/** Stored ids of an account, with the number of rows (duplicates would differ). */
export async function storedIds(location: StoreLocation): Promise<string[]> {
  return inStore(location, async (store) => {
    const rows = await store.db.query<{ id: string }>("SELECT id FROM entries ORDER BY id::int");
    return rows.map((row) => row.id);
  });
}
