import type { MoneyUnit } from "@spendkit/core";

/**
 * Exact money. Amounts are integer micro-units of their currency (1 USD = 1_000_000 micro-dollars,
 * 1 CNY = 1_000_000 micro-yuan) held as `bigint`; the currency travels beside them (an entry's
 * `currency`), never inside. They are parsed from what the providers send without any float
 * arithmetic and written back as decimal strings. Nothing here ever adds two JavaScript numbers,
 * and the "micro-dollar" below reads "micro-unit" for any other currency.
 *
 * Canonical text form (`formatMicros`): the shortest exact decimal with at least two fraction
 * digits and at most six, a leading "-" for negative values and nothing for positive ones:
 * `-15.50`, `0.000125`, `1234.00`, `0.00`. Every micro-dollar value has exactly one such form, and
 * `parseDecimal(formatMicros(m)) === m`.
 *
 * Rounding: a value finer than a micro-dollar (a float such as `0.0000005`, or millionths of a
 * cent) is rounded to the nearest micro-dollar, ties to even (banker's rounding), so that rounding
 * errors do not drift in one direction over many rows.
 */

export const MICROS_PER_USD = 1_000_000n;
export const MICROS_PER_CENT = 10_000n;

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;
/** The common case, exact in float arithmetic: at most 9 + 6 digits (< 2^53 micro-dollars). */
const SHORT_DECIMAL = /^(-?)(\d{1,9})(?:\.(\d{1,6}))?$/;
const SCALE = [1, 100_000, 10_000, 1_000, 100, 10, 1];

/** Parses a decimal string ("-15.50", "0.000125", "1e-7", "+3") into micro-dollars. */
export function parseDecimal(text: string): bigint {
  return parseScaled(text, 6);
}

/**
 * A decimal string times 10^`places`, rounded once to an integer (half to even): micro-units
 * with 6, micro-units of a hundredth (cents) with 4. One rounding, however many digits.
 */
function parseScaled(text: string, places: number): bigint {
  const short = places === 6 && typeof text === "string" ? SHORT_DECIMAL.exec(text) : null;
  if (short) {
    // Integers below 2^53: every operation here is exact.
    const [, sign, whole = "", fraction = ""] = short;
    const micros =
      Number(whole) * 1_000_000 + (fraction ? Number(fraction) * SCALE[fraction.length]! : 0);
    return BigInt(sign === "-" ? -micros : micros);
  }
  const match = typeof text === "string" ? DECIMAL.exec(text.trim()) : null;
  const [, sign = "", whole = "", fraction = "", exponent = "0"] = match ?? [];
  if (!match || (whole === "" && fraction === "")) {
    throw new RangeError(`not a decimal amount: ${JSON.stringify(text)}`);
  }
  const digits = BigInt(`${whole}${fraction}` || "0");
  const shift = Number(exponent) - fraction.length + places;
  if (!Number.isSafeInteger(shift) || Math.abs(shift) > 400) {
    throw new RangeError(`amount out of range: ${JSON.stringify(text)}`);
  }
  const micros =
    shift >= 0 ? digits * 10n ** BigInt(shift) : divideHalfEven(digits, 10n ** BigInt(-shift));
  return sign === "-" ? -micros : micros;
}

/** A plain decimal as a provider may send one in a string: no exponent, no sign but "-". */
const PLAIN_DECIMAL = /^-?\d{1,30}(?:\.\d{1,30})?$/;

/**
 * Parses a USD amount sent as a JSON number, or as a plain decimal string ("12.50"). A number is
 * read through its shortest decimal representation (`String(n)`, what the provider most likely
 * wrote), never through float math: `0.1` is exactly 100_000 micro-dollars. Anything else (NaN,
 * Infinity, "1e5", "", an object) is a `RangeError`: server data is never guessed at.
 */
export function parseUsd(value: unknown): bigint {
  if (typeof value === "string" && PLAIN_DECIMAL.test(value)) return parseDecimal(value);
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new RangeError(`not a USD amount: ${describeValue(value)}`);
  }
  return parseDecimal(String(value));
}

/** What a bad value is, for a message, without quoting it at length (it came from a server). */
export function describeValue(value: unknown): string {
  if (typeof value === "string") {
    return value.length > 24 ? `a string of ${value.length} characters` : JSON.stringify(value);
  }
  if (typeof value === "number") return String(value);
  return value === null ? "null" : Array.isArray(value) ? "an array" : typeof value;
}

/**
 * `formatMicros(parseUsd(value))`, faster: when the shortest decimal of the number already has at
 * most six fraction digits and no exponent, the canonical text is that decimal with its fraction
 * padded to two digits — no arithmetic at all.
 */
export function formatUsd(value: unknown): string {
  if (typeof value !== "number" || !Number.isFinite(value)) return formatMicros(parseUsd(value));
  const magnitude = value < 0 ? -value : value;
  // In this range String() writes plain decimals, never exponents.
  if (magnitude < 1e21 && (magnitude >= 1e-6 || magnitude === 0)) {
    const text = String(value);
    const dot = text.indexOf(".");
    if (dot === -1) return `${text}.00`;
    const places = text.length - dot - 1;
    if (places === 1) return `${text}0`;
    if (places <= 6) return text;
  }
  return formatMicros(parseUsd(value));
}

/**
 * An amount of a currency's major unit (unit `decimal`): a JSON number or a plain decimal
 * string, read like `parseUsd` — some providers declare a number and send a string.
 */
export function parseMajorDecimal(value: unknown): bigint {
  return parseUsd(value);
}

/**
 * Hundredths of a currency's unit as a plain decimal string, fractions allowed (unit
 * `cents-decimal`: `"123.78912"` is 1.2378912 dollars), rounded once to micro-units. Only the
 * string form the unit names: a number, an exponent (`"1e2"`), spaces or more than 30 digits on
 * either side of the point are a RangeError, never a guess; `"-0"` is zero.
 */
export function parseCentsDecimal(value: unknown): bigint {
  if (typeof value !== "string" || !PLAIN_DECIMAL.test(value)) {
    throw new RangeError(`not a decimal string of cents: ${describeValue(value)}`);
  }
  return parseScaled(value, 4);
}

/** An int64 as protobuf's JSON mapping writes it: optional "-", at most 19 digits. */
const INT64 = /^-?\d{1,19}$/;

function parseInteger(value: unknown, what: string): bigint {
  if (typeof value === "bigint") return value;
  if (typeof value === "number" && Number.isSafeInteger(value)) return BigInt(value);
  if (typeof value === "string" && INT64.test(value)) return BigInt(value);
  throw new RangeError(`not an integer amount of ${what}: ${describeValue(value)}`);
}

/** US cents (unit `usd-cents`): an int64 string, a safe integer or a bigint. */
export function centsToMicros(cents: unknown): bigint {
  return parseInteger(cents, "cents") * MICROS_PER_CENT;
}

/**
 * A cents object (unit `usd-cents-object`): `{val: "<int64 cents>"}`, as protobuf messages are
 * written in JSON. Proto3 JSON leaves out what is unset, so a
 * missing or null object, and a missing or null `val`, mean zero; anything else is a RangeError.
 */
export function centObjectToMicros(cent: unknown): bigint {
  if (cent === undefined || cent === null) return 0n;
  if (typeof cent !== "object" || Array.isArray(cent)) {
    throw new RangeError(`not a Cent object: ${describeValue(cent)}`);
  }
  const val = Object.hasOwn(cent, "val") ? (cent as { val?: unknown }).val : undefined;
  return val === undefined || val === null ? 0n : centsToMicros(val);
}

/** Millionths of a US cent (unit `usd-cent-millionths`), rounded half to even. */
export function centMillionthsToMicros(value: unknown): bigint {
  // 1 micro-dollar = 100 millionths of a cent.
  return divideHalfEven(parseInteger(value, "millionths of a cent"), 100n);
}

/** The canonical decimal string of an amount of micro-dollars (see the module comment). */
export function formatMicros(micros: bigint): string {
  if (micros <= SAFE && micros >= -SAFE) {
    // Safe integers: `%` and the exact division below are exact in float arithmetic.
    const value = Number(micros);
    const magnitude = value < 0 ? -value : value;
    const rest = magnitude % 1_000_000;
    const whole = (magnitude - rest) / 1_000_000;
    return `${value < 0 ? "-" : ""}${whole}.${fractionDigits(rest)}`;
  }
  const negative = micros < 0n;
  const magnitude = negative ? -micros : micros;
  const whole = magnitude / MICROS_PER_USD;
  let fraction = (magnitude % MICROS_PER_USD).toString().padStart(6, "0");
  while (fraction.length > 2 && fraction.endsWith("0")) fraction = fraction.slice(0, -1);
  return `${negative ? "-" : ""}${whole}.${fraction}`;
}

const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** The fraction digits of `rest` micro-dollars (0 ≤ rest < 1e6): at least 2, no trailing zeros beyond. */
function fractionDigits(rest: number): string {
  if (rest % 10_000 === 0) return String(rest / 10_000).padStart(2, "0");
  let fraction = String(rest).padStart(6, "0");
  while (fraction.endsWith("0")) fraction = fraction.slice(0, -1);
  return fraction;
}

/** `numerator / denominator` rounded to the nearest integer, ties to even. */
export function divideHalfEven(numerator: bigint, denominator: bigint): bigint {
  if (denominator <= 0n) throw new RangeError("denominator must be positive");
  const quotient = numerator / denominator; // truncates toward zero
  const remainder = numerator % denominator; // same sign as the numerator
  const twice = 2n * (remainder < 0n ? -remainder : remainder);
  const away = numerator < 0n ? -1n : 1n;
  if (twice > denominator || (twice === denominator && quotient % 2n !== 0n)) {
    return quotient + away;
  }
  return quotient;
}

/** Exact sum of decimal amount strings, as micro-dollars. */
export function sumAmounts(amounts: Iterable<string>): bigint {
  let total = 0n;
  for (const amount of amounts) total += parseDecimal(amount);
  return total;
}

/** The money units a spec may declare with `x-spendkit-money` (core's list: one place). */
export type { MoneyUnit };

const PARSERS: Record<MoneyUnit, (value: unknown) => bigint> = {
  usd: parseUsd,
  "usd-cents": centsToMicros,
  "usd-cents-object": centObjectToMicros,
  "usd-cent-millionths": centMillionthsToMicros,
  decimal: parseMajorDecimal,
  "cents-decimal": parseCentsDecimal,
};

/** An amount in the given unit, as micro-dollars; a RangeError when it is not one. */
export function parseMoney(value: unknown, unit: MoneyUnit): bigint {
  return PARSERS[unit](value);
}

/**
 * The unit the spec gives a money field of an operation's answer (`x-spendkit-money`, emitted
 * into the generated operation table under `money`), by its path: array steps are written as a
 * star, e.g. items, star, amount_usd.
 * Adapters read their units here at load time, so a spec that drops or renames a unit fails at
 * once rather than being parsed in a guessed unit.
 */
export function moneyUnit(
  operation: { money?: Readonly<Record<string, MoneyUnit>> | undefined },
  path: string,
): MoneyUnit {
  const unit =
    operation.money && Object.hasOwn(operation.money, path) ? operation.money[path] : undefined;
  if (!unit) throw new TypeError(`the spec declares no money unit for ${path}`);
  return unit;
}

/** A money value read in its unit, as the canonical decimal string (see `formatMicros`). */
export function formatMoney(value: unknown, unit: MoneyUnit): string {
  // Dollars as JSON numbers have a faster exact path.
  return unit === "usd" || unit === "decimal"
    ? formatUsd(value)
    : formatMicros(parseMoney(value, unit));
}
