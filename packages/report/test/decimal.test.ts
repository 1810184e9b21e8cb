import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { divideHalfEven, formatAmount, parseAmount } from "../src/decimal.js";

describe("exact amounts", () => {
  it("reads and writes the ledger's decimal strings", () => {
    expect(parseAmount("-15.50")).toBe(-15_500_000n);
    expect(parseAmount("0.000125")).toBe(125n);
    expect(parseAmount("+3")).toBe(3_000_000n);
    expect(formatAmount(-15_500_000n)).toBe("-15.50");
    expect(formatAmount(125n)).toBe("0.000125");
    expect(formatAmount(0n)).toBe("0.00");
    expect(formatAmount(123_456_789_012_345_678_901n)).toBe("123456789012345.678901");
  });

  it("round-trips every amount", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), (m) => {
        expect(parseAmount(formatAmount(m))).toBe(m);
      }),
    );
  });

  it("refuses what is not an exact decimal of at most six places", () => {
    for (const bad of ["1e3", "0.1234567", "", ".5", "1,00", "NaN", " 1.00"]) {
      expect(() => parseAmount(bad, "x"), bad).toThrow(/x is not a decimal amount/);
    }
  });

  it("divides with ties to even", () => {
    expect(divideHalfEven(5n, 2n)).toBe(2n);
    expect(divideHalfEven(7n, 2n)).toBe(4n);
    expect(divideHalfEven(-5n, 2n)).toBe(-2n);
    expect(divideHalfEven(-7n, 2n)).toBe(-4n);
    expect(divideHalfEven(10n, 3n)).toBe(3n);
  });
});
