/**
 * Exact dollars for the report: decimal strings in, integer micro-dollars (`bigint`) inside,
 * decimal strings out. The report never adds two floats; `toNumber` exists only to draw.
 *
 * The output form matches the ledger's: at least two fraction digits, at most six, `-` for
 * negatives (`"-15.50"`, `"0.000125"`, `"1234.00"`).
 */

const MICROS = 1_000_000n;
const DECIMAL = /^([+-]?)(\d+)(?:\.(\d{1,6}))?$/;

/** Micro-dollars of a decimal string; throws on anything else (exponents, > 6 fraction digits). */
export function parseAmount(text: string, what = "amount"): bigint {
  const match = typeof text === "string" ? DECIMAL.exec(text) : null;
  if (!match) throw new RangeError(`${what} is not a decimal amount: ${JSON.stringify(text)}`);
  const [, sign, whole = "0", fraction = ""] = match;
  const micros = BigInt(whole) * MICROS + BigInt(fraction.padEnd(6, "0"));
  return sign === "-" ? -micros : micros;
}

/** The decimal string of an amount of micro-dollars. */
export function formatAmount(micros: bigint): string {
  const negative = micros < 0n;
  const magnitude = negative ? -micros : micros;
  let fraction = (magnitude % MICROS).toString().padStart(6, "0");
  while (fraction.length > 2 && fraction.endsWith("0")) fraction = fraction.slice(0, -1);
  return `${negative ? "-" : ""}${magnitude / MICROS}.${fraction}`;
}

/** Exact sum of micro-dollar values. */
export function sum(values: Iterable<bigint>): bigint {
  let total = 0n;
  for (const value of values) total += value;
  return total;
}

/** `numerator / denominator` rounded to the nearest integer, ties to even; denominator > 0. */
export function divideHalfEven(numerator: bigint, denominator: bigint): bigint {
  const quotient = numerator / denominator;
  const remainder = numerator % denominator;
  const twice = 2n * (remainder < 0n ? -remainder : remainder);
  if (twice > denominator || (twice === denominator && quotient % 2n !== 0n)) {
    return quotient + (numerator < 0n ? -1n : 1n);
  }
  return quotient;
}

/** Dollars as a float, for chart geometry only: never summed, never shown. */
export function toNumber(micros: bigint): number {
  return Number(micros) / 1_000_000;
}
