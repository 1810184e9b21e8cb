import { createDeepSeekClient, type DeepSeekClient, operationTable } from "@spendkit/deepseek";
import { currencyCode } from "../currency.js";
import { moneyUnit, parseMoney } from "../money.js";
import { amountOf, RecordError } from "../records.js";
import type { Balance, ProviderAdapter } from "../types.js";

type BalanceAnswer = Awaited<ReturnType<DeepSeekClient["getBalance"]>>;

/** The unit the spec gives the balances: decimal strings in the currency's unit. */
const UNITS = {
  total: moneyUnit(operationTable.getBalance, "/balance_infos/*/total_balance"),
};

/**
 * The balances of a `getBalance` answer, one per currency, in currency order. The total (granted
 * plus topped up) is the balance: what API calls can still spend. A currency that is not three
 * letters, an amount that is not a plain decimal (`"1e3"`), or a currency listed twice is a
 * RecordError — the whole answer is refused rather than a balance guessed or added up.
 */
export function balancesOf(answer: BalanceAnswer): Balance[] {
  const infos = Array.isArray(answer?.balance_infos) ? answer.balance_infos : [];
  const balances: Balance[] = [];
  for (const info of infos) {
    const currency = currencyCode(info?.currency);
    if (balances.some((balance) => balance.currency === currency)) {
      throw new RecordError(`the balance in ${currency} is listed twice`);
    }
    const micros = amountOf(`total_balance (${currency})`, () =>
      parseMoney(info.total_balance, UNITS.total),
    );
    balances.push({ currency, micros });
  }
  return balances.sort((a, b) => (a.currency < b.currency ? -1 : 1));
}

/**
 * DeepSeek reports balances and nothing else: no transactions, no usage. It has no `entries`:
 * `ledger` and `sync` say so, `balance`, `reconcile` (snapshots), the report's balance lines
 * and runway work from its balances.
 */
export const deepseek: ProviderAdapter<DeepSeekClient> = {
  name: "deepseek",
  displayName: "DeepSeek",
  sources: {
    balance: "getBalance (total_balance per currency)",
    usage: "none: the API reports balances only",
  },
  serviceName: "DeepSeek API",
  env: { apiKey: "DEEPSEEK_API_KEY", baseUrl: "DEEPSEEK_BASE_URL" },
  createClient: (options) => createDeepSeekClient(options),
  async balance(client, signal) {
    return balancesOf(await client.getBalance({}, { signal }));
  },
};
