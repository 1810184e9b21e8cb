/**
 * Exact decimals for the conformance checker: a FOCUS numeric cell is read as an integer
 * `units` times 10^`exponent`, so that cost relations are compared without rounding (money.ts
 * rounds to micro-dollars, which would hide a difference in the seventh decimal).
 */
export interface ExactDecimal {
  units: bigint;
  exponent: number;
}

/**
 * FOCUS 1.2 NumericFormat (specification/attributes/numeric_format.md): an integer, a decimal
 * or E notation; a minus sign only for negative values and negative exponents; no other
 * characters.
 */
const NUMERIC = /^(-?)(\d+)(?:\.(\d+))?(?:E(-?\d+))?$/;

export function isFocusNumber(text: string): boolean {
  return NUMERIC.test(text);
}

/** The exact value of a FOCUS numeric cell; undefined when it is not one. */
export function exactDecimal(text: string): ExactDecimal | undefined {
  const match = NUMERIC.exec(text);
  if (!match) return undefined;
  const [, sign, whole = "", fraction = "", exponent = "0"] = match;
  const units = BigInt(`${whole}${fraction}`);
  return { units: sign === "-" ? -units : units, exponent: Number(exponent) - fraction.length };
}

/** -1, 0 or 1 as `a` is less than, equal to or greater than `b`. */
export function compareExact(a: ExactDecimal, b: ExactDecimal): -1 | 0 | 1 {
  const exponent = Math.min(a.exponent, b.exponent);
  const left = a.units * 10n ** BigInt(a.exponent - exponent);
  const right = b.units * 10n ** BigInt(b.exponent - exponent);
  return left < right ? -1 : left > right ? 1 : 0;
}

export function multiplyExact(a: ExactDecimal, b: ExactDecimal): ExactDecimal {
  return { units: a.units * b.units, exponent: a.exponent + b.exponent };
}

export const ZERO: ExactDecimal = { units: 0n, exponent: 0 };
