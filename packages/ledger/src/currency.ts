import { RecordError } from "./records.js";

/** An ISO 4217 code, upper case: `"USD"`, `"CNY"`. */
export type CurrencyCode = string;

const ISO_4217 = /^[A-Z]{3}$/;

/**
 * A provider's currency as the ledger writes it: three letters, upper-cased (OpenAI writes
 * `usd`). Anything else — `"US$"`, `"dollars"`, a number — is refused rather than guessed, so
 * that an amount never lands in the wrong currency's totals.
 */
export function currencyCode(value: unknown): CurrencyCode {
  if (typeof value === "string" && /^[A-Za-z]{3}$/.test(value)) return value.toUpperCase();
  const shown =
    typeof value === "string" ? JSON.stringify(value.slice(0, 16)) : `a ${typeof value}`;
  throw new RecordError(`currency ${shown} is not an ISO 4217 code (three letters)`);
}

/** Whether a code is already in the ledger's form (upper case), for checks of user input. */
export function isCurrencyCode(value: unknown): value is CurrencyCode {
  return typeof value === "string" && ISO_4217.test(value);
}

/**
 * Sums kept apart per currency: the one way code here adds money across accounts or
 * providers, so that no total ever adds yuan to dollars. Iterates in currency order.
 */
export class PerCurrency {
  readonly #sums = new Map<CurrencyCode, bigint>();

  add(currency: CurrencyCode, micros: bigint): void {
    this.#sums.set(currency, (this.#sums.get(currency) ?? 0n) + micros);
  }

  get size(): number {
    return this.#sums.size;
  }

  /** `[currency, micros]` pairs, by currency code. */
  entries(): [CurrencyCode, bigint][] {
    return [...this.#sums.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }
}
