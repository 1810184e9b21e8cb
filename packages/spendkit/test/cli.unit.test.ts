// The CLI's pieces in-process: date parsing, the progress line, usage rendering.

import { memoryOutput } from "@spendkit/mock";
import { describe, expect, it } from "vitest";
import { parseDate, parseProviders, parseWindow, UsageError } from "../src/cli/args.js";
import type { CliIO } from "../src/cli/io.js";
import { Progress } from "../src/cli/progress.js";
import { barChart, renderUsage } from "../src/cli/usage.js";

describe("dates on the command line", () => {
  it("takes YYYY-MM-DD as midnight UTC and RFC 3339 with a zone", () => {
    expect(parseDate("2026-05-01", "--since").toISOString()).toBe("2026-05-01T00:00:00.000Z");
    expect(parseDate("2026-05-01T14:00:00+02:00", "--since").toISOString()).toBe(
      "2026-05-01T12:00:00.000Z",
    );
    expect(parseDate("2026-02-28T23:59:59.999Z", "--until").toISOString()).toBe(
      "2026-02-28T23:59:59.999Z",
    );
    expect(parseDate("2024-02-29", "--since").toISOString()).toBe("2024-02-29T00:00:00.000Z");
  });

  it.each([
    "2026-02-30",
    "2025-02-29",
    "2026-13-01",
    "2026-05-01T24:00:00Z",
    "2026-05-01T10:00:00",
    "yesterday",
    "1714521600",
    "",
  ])("refuses %j", (text) => {
    expect(() => parseDate(text, "--since")).toThrow(UsageError);
  });

  it("checks the window and caps --until at now", () => {
    const now = new Date("2026-06-01T00:00:00Z");
    expect(parseWindow({ until: "2027-01-01" }, now).until).toEqual(now);
    expect(parseWindow({}, now, 30).since).toEqual(new Date("2026-05-02T00:00:00Z"));
    expect(() => parseWindow({ since: "2026-07-01" }, now)).toThrow(
      /before --until and before now/,
    );
  });

  it("reads --provider lists", () => {
    expect(parseProviders("xai, ByteSpike,xai")).toEqual(["xai", "bytespike"]);
    expect(() => parseProviders(",")).toThrow(UsageError);
    expect(() => parseProviders("acme")).toThrow(/unknown provider; known: anthropic, bytespike/);
  });
});

describe("the progress line", () => {
  const io = (isTTY: boolean) => {
    const err = memoryOutput();
    return {
      err,
      io: {
        env: {},
        cwd: "/",
        stdout: memoryOutput(),
        stderr: Object.assign(err, { isTTY }),
      } as CliIO,
    };
  };

  it("counts per provider on a terminal, and clears its line", () => {
    const { err, io: tty } = io(true);
    const progress = new Progress(tty, ["bytespike", "xai"]);
    progress.count([{ provider: "bytespike" }, { provider: "bytespike" }, { provider: "xai" }]);
    expect(err.text()).toContain("reading: bytespike 2 · xai 1");
    progress.clear();
    expect(err.text().endsWith("\r\u001b[2K")).toBe(true);
  });

  it("says nothing when stderr is not a terminal, or when disabled", () => {
    for (const [isTTY, enabled] of [
      [false, true],
      [true, false],
    ] as const) {
      const { err, io: quiet } = io(isTTY);
      const progress = new Progress(quiet, ["bytespike"], enabled);
      progress.count([{ provider: "bytespike" }]);
      progress.clear();
      expect(err.text()).toBe("");
    }
  });
});

describe("usage rendering", () => {
  const rows = [
    {
      provider: "wavespeed" as const,
      day: "2026-05-01",
      model: "m1",
      currency: "USD",
      micros: 600_000n,
      requests: 30,
    },
    {
      provider: "wavespeed" as const,
      day: "2026-05-01",
      model: "m1",
      currency: "USD",
      micros: 400_000n,
      requests: 20,
    },
    {
      provider: "xai" as const,
      day: "2026-05-02",
      model: "grok-4 input tokens",
      currency: "USD",
      micros: 759_700n,
    },
  ];

  it("sums per day and model exactly, then per model and per day", () => {
    const text = renderUsage(rows);
    expect(text).toMatch(/2026-05-01\s+wavespeed\s+m1\s+50\s+1\.00/);
    expect(text).toMatch(/xai\s+grok-4 input tokens\s+0\.7597/);
    expect(text).toMatch(/all\s+1\.7597/);
    expect(text).not.toContain("█");
  });

  it("draws bars scaled to the largest day when asked", () => {
    const chart = barChart(
      [
        ["2026-05-01", 1_000_000n],
        ["2026-05-02", 500_000n],
        ["2026-05-03", 0n],
      ],
      80,
    );
    const [first, second, third] = chart.split("\n");
    expect((first!.match(/█/g) ?? []).length).toBe(2 * (second!.match(/█/g) ?? []).length);
    expect(third).not.toContain("█");
    expect(renderUsage([])).toContain("(no usage in the window)");
  });
});
