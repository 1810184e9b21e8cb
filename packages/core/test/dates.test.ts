import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createClient, InputError, type OperationSpec } from "../src/index.js";
import {
  API_KEY,
  acmeClient,
  enveloped,
  envelopeOperations,
  FAST,
  rejection,
  useFixture,
  wavyClient,
} from "./support.js";

const fixture = useFixture({ beforeEach, afterEach });

const ENVELOPE = { code: 200, message: "success", data: { items: [], total: 0 } };
const ROWS = { items: [], total: 0, page: 1, page_size: 5 };

describe("a JavaScript Date is accepted for a time field and sent in a form the field takes", () => {
  it("an RFC 3339 date-time field gets the ISO string, in UTC to the millisecond", async () => {
    fixture().route("GET /v1/rows", { json: ROWS });
    const input = {
      since: new Date("2026-05-01T02:00:00+02:00"),
      until: new Date(Date.UTC(2026, 5, 1, 12, 30, 15, 250)),
    };
    await acmeClient(fixture()).listRows(input as never);
    const [request] = fixture().requests("GET /v1/rows");
    expect(request?.query.get("since")).toBe("2026-05-01T00:00:00.000Z");
    expect(request?.query.get("until")).toBe("2026-06-01T12:30:15.250Z");
    // the caller's object is left as it was
    expect(input.since).toBeInstanceOf(Date);
  });

  it("an epoch-milliseconds window bound gets the string of digits", async () => {
    fixture().route("POST /api/v3/billings/search", { json: ENVELOPE });
    await wavyClient(fixture()).searchBillings({
      page: 1,
      start_time: new Date("2025-10-01T11:13:30.051Z"),
      end_time: new Date("2025-10-01T11:13:47.408Z"),
    } as never);
    const [request] = fixture().requests("POST /api/v3/billings/search");
    expect(request?.json()).toEqual({
      page: 1,
      start_time: "1759317210051",
      end_time: "1759317227408",
    });
  });

  it("is written in the form the field lists first when it accepts several", async () => {
    const both = {
      anyOf: [
        { type: "string", pattern: "^[0-9]+$" },
        { type: "string", format: "date-time" },
      ],
    };
    const operations = {
      search: {
        ...envelopeOperations.searchBillings,
        input: {
          type: "object",
          properties: { page: { type: "integer", minimum: 1 }, start_time: both, end_time: both },
        },
      },
    } satisfies Record<string, OperationSpec>;
    type SearchOps = {
      search: {
        input: { page?: number; start_time?: string | Date; end_time?: string | Date };
        result: { items: unknown[]; total: number };
        item: unknown;
      };
    };
    const client = createClient<Record<string, never>, SearchOps>(enveloped, operations, {
      apiKey: API_KEY,
      baseUrl: fixture().url,
      ...FAST,
    });
    fixture().route("POST /api/v3/billings/search", { json: ENVELOPE });
    await client.search({
      start_time: "2025-10-01T11:13:30.051Z",
      end_time: new Date("2025-10-01T11:13:47.408Z"),
    });
    expect(fixture().requests("POST /api/v3/billings/search")[0]?.json()).toEqual({
      start_time: "2025-10-01T11:13:30.051Z",
      end_time: "1759317227408",
    });
  });

  it("the window is checked on the instants the Dates stand for", async () => {
    const error = await rejection(
      wavyClient(fixture()).searchBillings({
        start_time: new Date("2026-02-01T00:00:00Z"),
        end_time: "1767225600000", // 2026-01-01
      } as never),
    );
    expect(error).toMatchObject({ field: "start_time", rule: "window" });
    expect(fixture().count()).toBe(0);
  });

  it.each([
    ["an Invalid Date", { since: new Date("not a date") }, "since", "format"],
    [
      "a Date before 1970 for epoch milliseconds",
      { end_time: new Date(-1) },
      "end_time",
      "minimum",
    ],
  ])("rejects %s before anything is sent", async (_, input, field, rule) => {
    const client =
      "since" in input ? acmeClient(fixture()).listRows : wavyClient(fixture()).searchBillings;
    const error = await rejection((client as (input: unknown) => Promise<unknown>)(input));
    expect(error).toBeInstanceOf(InputError);
    expect(error).toMatchObject({ field, rule });
    expect(fixture().count()).toBe(0);
  });

  it("a string of digits that is not a window bound is no time: a Date there is refused", async () => {
    const error = await rejection(
      acmeClient(fixture()).topUp({ amount_cents: new Date() } as never),
    );
    expect(error).toBeInstanceOf(InputError);
    expect(error).toMatchObject({ field: "amount_cents", rule: "type" });
    expect(fixture().count()).toBe(0);
  });

  it(".all() takes a Date for the window start and pins the end itself", async () => {
    fixture().route("POST /api/v3/billings/search", { json: ENVELOPE });
    const rows = [];
    for await (const row of wavyClient(fixture()).searchBillings.all({
      start_time: new Date("2025-10-01T00:00:00Z"),
    } as never))
      rows.push(row);
    const body = fixture().requests("POST /api/v3/billings/search")[0]?.json();
    expect(body.start_time).toBe("1759276800000");
    expect(body.end_time).toMatch(/^[0-9]{13}$/);
    expect(rows).toEqual([]);
  });
});
