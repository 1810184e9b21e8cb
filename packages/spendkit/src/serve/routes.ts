import type { Store } from "@spendkit/store";
import type { Rule } from "../alerts/rules.js";
import type { DistinctDrift } from "../drift.js";
import { driftFamily, metricFamilies } from "./figures.js";
import type { ServeRoutes } from "./http.js";
import { exposition } from "./metrics.js";

type StoreModule = typeof import("@spendkit/store");

/**
 * The read side of `spendkit serve`: every answer is a query of the open store, and the metrics
 * add the drift the service's clients have seen (`drift`, for the configured `providers`).
 */
export function storeRoutes(
  store: Store,
  module: StoreModule,
  rules: readonly Rule[],
  drift: { seen: DistinctDrift; providers: readonly string[] },
): ServeRoutes {
  const latest = Math.max(...module.MIGRATIONS.map((m) => m.version));
  return {
    metrics: async () =>
      exposition([
        ...(await metricFamilies(store, module, rules, new Date())),
        driftFamily(drift.seen, drift.providers),
      ]),
    async ready() {
      try {
        const [row] = await store.db.query<{ version: number | null }>(
          "SELECT max(version) AS version FROM schema_migrations",
        );
        return Number(row?.version) === latest
          ? { ready: true }
          : { ready: false, reason: "the store's schema is not up to date" };
      } catch {
        return { ready: false, reason: "the store does not answer" };
      }
    },
    balances: async () => ({
      balances: (await module.latestBalances(store)).map((b) => ({
        provider: b.provider,
        account: b.account,
        currency: b.currency,
        balance: b.balance,
        asOf: b.takenAt,
      })),
    }),
    spend: async (query) => ({
      since: query.since?.toISOString() ?? null,
      until: (query.until ?? new Date()).toISOString(),
      groupBy: query.groupBy,
      spend: await module.spendBy(store, query),
    }),
    alerts: async () => ({ alerts: await module.listFiredAlerts(store, 100) }),
  };
}
