// Time normalisation and the writers' paged path, below the CLI.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ledger, writeCsv } from "../src/index.js";
import { isoTime } from "../src/time.js";
import { csvFormatter } from "../src/writers/csv.js";
import { PAGES } from "../src/writers/output.js";
import { entry, memoryOutput, streamOf } from "./helpers.js";

describe("time normalisation", () => {
  it("the fast path agrees with Date for every UTC timestamp (property)", () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date("1970-01-01T00:00:00Z"),
          max: new Date("2999-12-31T23:59:59Z"),
          noInvalidDate: true,
        }),
        fc.boolean(),
        (date, millis) => {
          const iso = date.toISOString();
          const text = millis ? iso : `${iso.slice(0, 19)}Z`;
          expect(isoTime(text)).toBe(new Date(Date.parse(text)).toISOString());
        },
      ),
    );
    // A day that does not exist is not rolled over into the next month.
    expect(isoTime("2026-02-30T00:00:00Z")).toBeUndefined(); // Date's own reading
    expect(isoTime("2026-05-21T16:08:11+02:00")).toBe("2026-05-21T14:08:11.000Z");
    expect(isoTime("not a time")).toBeUndefined();
  });
});

describe("writers read a ledger in pages when they can", () => {
  it("writes the same CSV from a plain stream and from ledger()'s pages", async () => {
    const entries = [
      entry({ provider: "xai", id: "a", time: "2026-01-01T00:00:00.000Z" }),
      entry({ provider: "xai", id: "b", time: "2026-01-02T00:00:00.000Z" }),
    ];
    const paged = Object.assign(streamOf([]), {
      [PAGES]: () => streamOf([entries.slice(0, 1), entries.slice(1)]),
    });
    const viaPages = memoryOutput();
    const viaStream = memoryOutput();
    expect(await writeCsv(paged, viaPages)).toBe(2);
    expect(await writeCsv(streamOf(entries), viaStream)).toBe(2);
    expect(viaPages.text()).toBe(viaStream.text());
    const formatter = csvFormatter();
    expect(viaStream.text()).toBe(formatter.header() + entries.map(formatter.row).join(""));
    expect(typeof (ledger({}) as { [PAGES]?: unknown })[PAGES]).toBe("function");
  });
});
