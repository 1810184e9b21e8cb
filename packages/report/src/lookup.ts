import type { ReportAccount, ReportData, ReportProvider } from "./types.js";

/** Accounts and providers by id, for data that names them (validated beforehand). */
export interface Lookup {
  account(id: string): ReportAccount;
  provider(id: string): ReportProvider;
  /** The provider an account belongs to. */
  providerOf(accountId: string): ReportProvider;
  /** The currency of every amount that names the account. */
  currencyOf(accountId: string): string;
  /** The latest balance point of an account, if it has any. */
  latestBalance(accountId: string): { time: string; balance: string } | undefined;
}

export function lookup(data: ReportData): Lookup {
  const accounts = new Map(data.accounts.map((a) => [a.id, a]));
  const providers = new Map(data.providers.map((p) => [p.id, p]));
  const latest = new Map(
    data.balances.map((s) => [
      s.account,
      s.points.reduce<(typeof s.points)[number] | undefined>(
        (last, p) => (!last || Date.parse(p.time) >= Date.parse(last.time) ? p : last),
        undefined,
      ),
    ]),
  );
  const get = <T>(map: Map<string, T>, id: string, what: string): T => {
    const found = map.get(id);
    if (!found) throw new RangeError(`unknown ${what} ${id}`);
    return found;
  };
  return {
    account: (id) => get(accounts, id, "account"),
    provider: (id) => get(providers, id, "provider"),
    providerOf: (id) => get(providers, get(accounts, id, "account").provider, "provider"),
    currencyOf: (id) => get(accounts, id, "account").currency,
    latestBalance: (id) => {
      const point = latest.get(id);
      return point && { time: point.time, balance: point.balance };
    },
  };
}
