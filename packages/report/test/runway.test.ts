import { describe, expect, it } from "vitest";
import { forecastRunway } from "../src/runway.js";

const days = (from: string, count: number, amount: string) =>
  Array.from({ length: count }, (_, i) => ({
    date: new Date(Date.parse(`${from}T00:00:00Z`) + i * 86_400_000).toISOString().slice(0, 10),
    amount,
  }));

describe("forecastRunway", () => {
  it("divides the balance by the trailing 30-day burn, exactly, in whole days", () => {
    // 30 days of 0.10 before 1 June: 3.00 over 30 days; 1.05 lasts 10.5 days → 10 whole days.
    const f = forecastRunway({
      balance: "1.05",
      asOf: "2026-06-01T12:00:00.000Z",
      dailySpend: [...days("2026-04-01", 31, "9.99"), ...days("2026-05-02", 30, "0.10")],
    });
    expect(f).toMatchObject({
      days: 30,
      trailingSpend: "3.00",
      dailyBurn: "0.10",
      daysLeft: 10,
      runsOutOn: "2026-06-11",
    });
    expect(f.label).toBe("10 days left at the trailing 30-day burn of 0.10 a day");
  });

  it("names the currency in its label when it is given one", () => {
    const f = forecastRunway({
      balance: "70.00",
      asOf: "2026-05-11T00:00:00.000Z",
      dailySpend: days("2026-05-01", 10, "7.00"),
      since: "2026-05-01T00:00:00.000Z",
      currency: "CNY",
    });
    expect(f.label).toBe("10 days left at the trailing 10-day burn of 7.00 CNY a day");
  });

  it("is exact where floats are not: 0.3 a day against 0.9 is 3 days, not 2.9999", () => {
    const f = forecastRunway({
      balance: "0.90",
      asOf: "2026-06-01T00:00:00.000Z",
      dailySpend: days("2026-05-29", 3, "0.30"),
      trailingDays: 3,
    });
    expect(f.daysLeft).toBe(3);
    expect(f.dailyBurn).toBe("0.30");
  });

  it("does not count the days before the data starts as days without spend", () => {
    const f = forecastRunway({
      balance: "20.00",
      asOf: "2026-05-11T00:00:00.000Z",
      dailySpend: days("2026-05-01", 10, "1.00"),
      since: "2026-05-01T00:00:00.000Z",
    });
    expect(f).toMatchObject({ days: 10, trailingSpend: "10.00", dailyBurn: "1.00", daysLeft: 20 });
    expect(f.label).toContain("trailing 10-day burn");
  });

  it("leaves out the balance's own day, which is still going on", () => {
    const f = forecastRunway({
      balance: "5.00",
      asOf: "2026-05-11T18:00:00.000Z",
      dailySpend: [...days("2026-05-10", 1, "1.00"), ...days("2026-05-11", 1, "100.00")],
      trailingDays: 1,
    });
    expect(f).toMatchObject({ trailingSpend: "1.00", daysLeft: 5, runsOutOn: "2026-05-16" });
  });

  it("rounds the daily burn half to even and says 0 days for a used-up balance", () => {
    const f = forecastRunway({
      balance: "-2.00",
      asOf: "2026-05-04T00:00:00.000Z",
      dailySpend: [{ date: "2026-05-02", amount: "0.000005" }],
      trailingDays: 2,
    });
    expect(f.days).toBe(2);
    expect(f.dailyBurn).toBe("0.000002"); // 2.5 micro-dollars → 2
    expect(f.daysLeft).toBe(0);
    expect(f.runsOutOn).toBe("2026-05-04");
  });

  it("makes no forecast without spend, and says why", () => {
    const idle = forecastRunway({
      balance: "9.00",
      asOf: "2026-05-04T00:00:00.000Z",
      dailySpend: [],
    });
    expect(idle).toMatchObject({ daysLeft: null, runsOutOn: null, drawDaysLeft: null });
    expect(idle.label).toBe("no forecast: nothing spent over the trailing 30-day window");
    const refunded = forecastRunway({
      balance: "9.00",
      asOf: "2026-05-04T00:00:00.000Z",
      dailySpend: [{ date: "2026-05-03", amount: "-1.00" }],
    });
    expect(refunded.daysLeft).toBeNull();
    const tooEarly = forecastRunway({
      balance: "9.00",
      asOf: "2026-05-01T10:00:00.000Z",
      dailySpend: [{ date: "2026-05-01", amount: "1.00" }],
      since: "2026-05-01T00:00:00.000Z",
    });
    expect(tooEarly.days).toBe(0);
    expect(tooEarly.label).toMatch(/no whole day/);
  });

  it("rejects what it cannot compute with", () => {
    const base = { balance: "1.00", asOf: "2026-05-01T00:00:00Z", dailySpend: [] };
    expect(() => forecastRunway({ ...base, balance: "1e3" })).toThrow(/balance is not a decimal/);
    expect(() => forecastRunway({ ...base, asOf: "yesterday" })).toThrow(/asOf is not an ISO/);
    expect(() => forecastRunway({ ...base, trailingDays: 0 })).toThrow(/trailingDays/);
    expect(() =>
      forecastRunway({ ...base, dailySpend: [{ date: "2026-04-30", amount: "0.1234567" }] }),
    ).toThrow(/spend on 2026-04-30/);
  });
});
