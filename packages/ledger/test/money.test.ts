import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatMicros, LedgerTotals, parseDecimal } from "../src/index.js";
import {
  centMillionthsToMicros,
  centObjectToMicros,
  centsToMicros,
  formatUsd,
  parseCentsDecimal,
  parseMajorDecimal,
  parseMoney,
  parseUsd,
} from "../src/money.js";

/** An independent oracle: the exact rational of a decimal string, rounded half to even. */
function oracleMicros(text: string): bigint {
  const [mantissa = "", exponentText = "0"] = text.toLowerCase().split("e");
  const negative = mantissa.startsWith("-");
  const unsigned = mantissa.replace(/^[+-]/, "");
  const [whole = "", fraction = ""] = unsigned.split(".");
  // value = numerator / denominator, exactly
  let numerator = BigInt(whole + fraction || "0") * 1_000_000n;
  let denominator = 10n ** BigInt(fraction.length);
  const exponent = Number(exponentText);
  if (exponent >= 0) numerator *= 10n ** BigInt(exponent);
  else denominator *= 10n ** BigInt(-exponent);
  const floor = numerator / denominator;
  const rest = numerator - floor * denominator; // 0 <= rest < denominator
  let rounded = floor;
  if (2n * rest > denominator || (2n * rest === denominator && floor % 2n === 1n)) rounded += 1n;
  return negative ? -rounded : rounded;
}

const micros = fc.bigInt({ min: -(10n ** 24n), max: 10n ** 24n });

describe("money: examples", () => {
  it("formats the canonical decimal: at least 2 places, at most 6, no trailing zeros beyond", () => {
    expect(formatMicros(-15_500_000n)).toBe("-15.50");
    expect(formatMicros(125n)).toBe("0.000125");
    expect(formatMicros(0n)).toBe("0.00");
    expect(formatMicros(1_234_000_000n)).toBe("1234.00");
    expect(formatMicros(84_563_200n)).toBe("84.5632");
    expect(formatMicros(-1n)).toBe("-0.000001");
  });

  it("parses decimal strings, with exponents and signs", () => {
    expect(parseDecimal("-15.50")).toBe(-15_500_000n);
    expect(parseDecimal("0.000125")).toBe(125n);
    expect(parseDecimal("+3")).toBe(3_000_000n);
    expect(parseDecimal("1.5e+21")).toBe(15n * 10n ** 26n); // 1.5e21 USD in micro-dollars
    expect(parseDecimal("2e-6")).toBe(2n);
    expect(parseDecimal("-0")).toBe(0n);
    expect(parseDecimal(".5")).toBe(500_000n);
  });

  it("rounds below a micro-dollar half to even", () => {
    expect(parseDecimal("0.0000005")).toBe(0n);
    expect(parseDecimal("0.0000015")).toBe(2n);
    expect(parseDecimal("0.0000025")).toBe(2n);
    expect(parseDecimal("-0.0000025")).toBe(-2n);
    expect(parseDecimal("-0.0000035")).toBe(-4n);
    expect(parseDecimal("0.00000051")).toBe(1n);
    expect(parseUsd(1e-7)).toBe(0n);
    expect(centMillionthsToMicros("150")).toBe(2n); // 1.5 micro-dollars → 2
    expect(centMillionthsToMicros("250")).toBe(2n); // 2.5 → 2
    expect(centMillionthsToMicros("300")).toBe(3n);
  });

  it("reads floats through their shortest decimal, never float arithmetic", () => {
    expect(parseUsd(0.1) + parseUsd(0.2)).toBe(parseUsd(0.3));
    expect(0.1 + 0.2).not.toBe(0.3); // the float sum would be wrong
    expect(parseUsd(84.5632)).toBe(84_563_200n);
    expect(parseUsd(-15.5)).toBe(-15_500_000n);
    expect(parseUsd(0.7597)).toBe(759_700n);
  });

  it("reads cents and Cent objects; {} is zero", () => {
    expect(centsToMicros("6750")).toBe(67_500_000n);
    expect(centsToMicros("-4500")).toBe(-45_000_000n);
    expect(centObjectToMicros({ val: "-2000" })).toBe(-20_000_000n);
    expect(centObjectToMicros({})).toBe(0n);
    expect(centObjectToMicros(undefined)).toBe(0n);
  });

  it("refuses what is not an amount", () => {
    for (const bad of ["", "abc", "1.2.3", "1,5", "--1", "1e", "0x10", " "]) {
      expect(() => parseDecimal(bad), bad).toThrow(RangeError);
    }
    expect(() => parseUsd(Number.NaN)).toThrow(RangeError);
    expect(() => parseUsd(Number.POSITIVE_INFINITY)).toThrow(RangeError);
    expect(() => centsToMicros("12.5")).toThrow(RangeError);
    expect(() => centsToMicros(1.5)).toThrow(RangeError);
  });
});

describe("money: decimal strings of cents (unit cents-decimal)", () => {
  // Anthropic's cost amounts: "123.78912" is 123.78912 cents, 1.2378912 dollars. Three projects
  // shipped a 100x error reading them as dollars.
  it.each([
    ["123.78912", 1_237_891n], // 1.2378912 dollars: the 0.2 micro-dollar rounds away
    ["100", 1_000_000n],
    ["0.5", 5_000n],
    ["0.00005", 0n], // half a micro-dollar, ties to even: 0
    ["0.00015", 2n], // 1.5 micro-dollars, ties to even: 2
    ["-250.25", -2_502_500n],
    ["-0", 0n],
    ["12345678901234567890.12", 123_456_789_012_345_678_901_200n],
  ])("%s cents → %s micro-dollars, rounded once", (text, micros) => {
    expect(parseCentsDecimal(text)).toBe(micros);
    expect(parseMoney(text, "cents-decimal")).toBe(micros);
  });

  it.each([
    ["1e2", "an exponent"],
    [" 5", "a space"],
    ["5 ", "a trailing space"],
    ["+5", "a plus sign"],
    ["", "nothing"],
    [".5", "no whole part"],
    ["1.", "no fraction after the point"],
    ["1".repeat(40), "40 digits"],
    [123, "a number where the unit says string"],
    [null, "null"],
  ] as [unknown, string][])("refuses %j (%s)", (value) => {
    expect(() => parseCentsDecimal(value)).toThrow(RangeError);
  });

  it("agrees with the exact rational of every short decimal, divided by 100", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }),
        fc.integer({ min: 0, max: 8 }),
        (digits, places) => {
          const negative = digits < 0n;
          const text = (negative ? -digits : digits).toString().padStart(places + 1, "0");
          const decimal = `${negative ? "-" : ""}${places ? `${text.slice(0, -places)}.${text.slice(-places)}` : text}`;
          expect(parseCentsDecimal(decimal)).toBe(oracleMicros(`${decimal}e-2`));
        },
      ),
    );
  });
});

describe("money: major units as number or string (unit decimal)", () => {
  // OpenAI's amount.value: a number per its spec, a string seen live.
  it.each([
    [0.06, 60_000n],
    ["12.50", 12_500_000n],
    [-3, -3_000_000n],
  ])("%j → %s", (value, micros) => {
    expect(parseMajorDecimal(value)).toBe(micros);
  });
  it.each(["1e5", " 1", "", Number.NaN, Number.POSITIVE_INFINITY, {}])("refuses %j", (value) => {
    expect(() => parseMajorDecimal(value)).toThrow(RangeError);
  });
});

describe("money: properties", () => {
  it("format then parse is the identity on micro-dollars", () => {
    fc.assert(fc.property(micros, (m) => parseDecimal(formatMicros(m)) === m));
  });

  it("the formatted form is canonical: one text per value, at least 2 and at most 6 places", () => {
    fc.assert(
      fc.property(micros, (m) => {
        const text = formatMicros(m);
        expect(text).toMatch(/^-?(0|[1-9]\d*)\.\d{2,6}$/);
        const places = text.split(".")[1]!;
        if (places.length > 2) expect(places.endsWith("0")).toBe(false);
        expect(formatMicros(parseDecimal(text))).toBe(text);
      }),
    );
  });

  it("negation flips only the sign of the text", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 10n ** 24n }),
        (m) => formatMicros(-m) === `-${formatMicros(m)}`,
      ),
    );
  });

  it("a USD float with up to 6 places is exactly its decimal", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -(10 ** 15) + 1, max: 10 ** 15 - 1 }),
        (k) => parseUsd(k / 1e6) === BigInt(k),
      ),
    );
  });

  it("any finite float rounds exactly like the rational of its shortest decimal", () => {
    fc.assert(
      fc.property(
        fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e20, max: 1e20 }),
        (d) => {
          expect(parseUsd(d)).toBe(oracleMicros(String(d)));
        },
      ),
    );
  });

  it("formatUsd is formatMicros(parseUsd(n)) for every float, its fast path included", () => {
    for (const n of [0, -0, 1, -1, 50, 81.4, 0.0042, -3.25, 1e-7, 123456.789, 1.5e21, 0.1234567]) {
      expect(formatUsd(n), String(n)).toBe(formatMicros(parseUsd(n)));
    }
    fc.assert(
      fc.property(
        fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e12, max: 1e12 }),
        (d) => {
          expect(formatUsd(d)).toBe(formatMicros(parseUsd(d)));
        },
      ),
    );
    fc.assert(
      fc.property(fc.integer({ min: -(10 ** 12), max: 10 ** 12 }), (k) => {
        expect(formatUsd(k / 1e4)).toBe(formatMicros(parseUsd(k / 1e4)));
      }),
    );
  });

  it("sums of parsed floats equal the exact rational sums", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -(10 ** 12), max: 10 ** 12 }), { maxLength: 200 }),
        (ks) => {
          const exact = ks.reduce((acc, k) => acc + BigInt(k), 0n);
          const parsed = ks.reduce((acc, k) => acc + parseUsd(k / 1e6), 0n);
          expect(parsed).toBe(exact);
          // and the totals, through the decimal strings the ledger carries
          const totals = new LedgerTotals();
          for (const k of ks)
            totals.add({
              provider: "xai",
              kind: "usage",
              amount: formatMicros(parseUsd(k / 1e6)),
              currency: "USD",
            });
          const [total] = totals.byCurrency();
          expect(total?.micros ?? 0n).toBe(exact);
          expect(totals.entries).toBe(ks.length);
        },
      ),
    );
  });

  it("int64 cent strings convert exactly, and format as cents with two places", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), (cents) => {
        const m = centsToMicros(cents.toString());
        expect(m).toBe(cents * 10_000n);
        const abs = (cents < 0n ? -cents : cents).toString().padStart(3, "0");
        expect(formatMicros(m)).toBe(
          `${cents < 0n ? "-" : ""}${abs.slice(0, -2)}.${abs.slice(-2)}`,
        );
        expect(centObjectToMicros({ val: cents.toString() })).toBe(m);
      }),
    );
  });

  it("millionths of a cent round to the nearest micro-dollar, ties to even", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 18n), max: 10n ** 18n }), (v) => {
        const m = centMillionthsToMicros(v.toString());
        const diff = v - m * 100n; // in millionths of a cent
        expect(diff >= -50n && diff <= 50n).toBe(true);
        if (diff === 50n || diff === -50n) expect(m % 2n).toBe(0n);
      }),
    );
  });
});
