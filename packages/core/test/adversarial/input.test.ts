// Class 5 and 7 of the hostile-input suite: input that would misroute or corrupt a request is an
// InputError before anything is sent, and a whole call can be given a deadline.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  createClient,
  InputError,
  type OperationSpec,
  type ProviderSpec,
  ServerError,
  TimeoutError,
} from "../../src/index.js";
import { API_KEY, acmeClient, FAST, rejection, useFixture } from "../support.js";

const fixture = useFixture({ beforeEach, afterEach });

/** A team-scoped API like xAI's: a path parameter the client fills, discovered from the key. */
const teams: ProviderSpec = {
  name: "teamy",
  baseUrl: "https://api.teamy.invalid",
  error: { message: ["error"] },
  clientParams: {
    team_id: { option: "teamId", discover: { operation: "whoAmI", field: "teamId" } },
  },
};
const teamOperations = {
  whoAmI: {
    method: "get",
    path: "/auth/key",
    retrySafe: true,
    in: {},
    input: { type: "object", properties: {} },
  },
  getInvoices: {
    method: "get",
    path: "/teams/{team_id}/invoices",
    retrySafe: true,
    in: { team_id: "path" },
    input: { type: "object", properties: { team_id: { type: "string" } } },
  },
} satisfies Record<string, OperationSpec>;
type TeamOps = {
  whoAmI: { input: Record<string, never>; result: { teamId?: string } };
  getInvoices: { input: { team_id?: string }; result: { invoices: unknown[] } };
};
const teamClient = (options: Record<string, unknown> = {}) =>
  createClient<Record<string, never>, TeamOps>(teams, teamOperations, {
    apiKey: API_KEY,
    baseUrl: fixture().url,
    ...FAST,
    ...options,
  });

describe("class 5: integers are safe integers within the spec's bounds", () => {
  it.each([2 ** 53, -(2 ** 60), 1e300, 4.5])("page %s → InputError, no request", async (page) => {
    const error = await rejection(acmeClient(fixture()).listRows({ page }));
    expect(error).toBeInstanceOf(InputError);
    expect(error.field).toBe("page");
    expect(fixture().count()).toBe(0);
  });
});

describe("class 5: header names and values are checked before sending", () => {
  const bad: [string, Record<string, string>][] = [
    ["CR LF in a value", { "x-trace": "a\r\nx-injected: 1" }],
    ["LF alone", { "x-trace": "a\nb" }],
    ["non-ASCII", { "x-trace": "café" }],
    ["a NUL", { "x-trace": "a\u0000b" }],
    ["a space in the name", { "x trace": "1" }],
    ["a colon in the name", { "x:trace": "1" }],
  ];
  it.each(bad)(
    "%s → InputError (not a retryable ConnectionError), value never quoted",
    async (_, headers) => {
      const perCall = await rejection(acmeClient(fixture()).getAccount({}, { headers }));
      expect(perCall).toBeInstanceOf(InputError);
      expect(perCall.retryable).toBe(false);
      for (const value of Object.values(headers)) expect(perCall.message).not.toContain(value);
      expect(() => acmeClient(fixture(), { headers })).toThrow(InputError);
      expect(fixture().count()).toBe(0);
    },
  );
});

describe("class 5: path segments never re-route a request", () => {
  it.each(["", ".", ".."])("path parameter %j → InputError, no request", async (team_id) => {
    const error = await rejection(teamClient().getInvoices({ team_id }));
    expect(error).toBeInstanceOf(InputError);
    expect(error.field).toBe("team_id");
    expect(fixture().count()).toBe(0);
  });

  it.each(["", ".", ".."])("teamId option %j → InputError at creation", (teamId) => {
    expect(() => teamClient({ teamId })).toThrow(InputError);
  });

  // What plain JavaScript can pass: none of it becomes a segment ("123", "[object Object]", "a,b").
  const notStrings: unknown[] = [123, { id: "t" }, ["a", "b"], null, true];
  it.each(notStrings)(
    "path parameter %j that is not a string → InputError, no request",
    async (team_id) => {
      const error = await rejection(teamClient().getInvoices({ team_id } as never));
      expect(error).toBeInstanceOf(InputError);
      expect(error).toMatchObject({ field: "team_id", rule: "type" });
      expect(fixture().count()).toBe(0);
    },
  );

  it.each(notStrings)(
    "teamId option %j that is not a string → InputError at creation",
    async (teamId) => {
      let client: ReturnType<typeof teamClient> | undefined;
      const error = (() => {
        try {
          client = teamClient({ teamId } as never);
        } catch (thrown) {
          return thrown;
        }
      })();
      expect(error).toBeInstanceOf(InputError);
      expect(error).toMatchObject({ field: "teamId", rule: "type" });
      expect(client).toBeUndefined();
      expect(fixture().count()).toBe(0);
    },
  );

  it("a slash is encoded, so it stays inside its segment", async () => {
    fixture().route("GET /teams/:team/invoices", (request) => ({
      json: { invoices: [request.params.team] },
    }));
    expect(await teamClient().getInvoices({ team_id: "a/b" })).toEqual({ invoices: ["a/b"] });
  });

  it("a discovered team id that is a dot segment, or absent, is refused", async () => {
    // `null` is how a key of no team answers in the wild, beside an absent field.
    for (const answer of [{ teamId: ".." }, { teamId: "" }, {}, { teamId: null, scopeId: null }]) {
      fixture().route("GET /auth/key", { json: answer });
      const error = await rejection(teamClient().getInvoices({}));
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toContain("pass the teamId option");
    }
    expect(fixture().count("GET /teams/:team/invoices")).toBe(0);
  });
});

describe("class 7: a whole-call deadline (totalTimeout)", () => {
  it("bounds a call whose attempts each stay within their own timeout", async () => {
    fixture().route("GET /v1/account", (_request, reply) => reply.hang());
    const error = await rejection(
      acmeClient(fixture(), { timeout: 60_000, totalTimeout: 150 }).getAccount(),
    );
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ scope: "call", timeout: 150, retryable: false });
    expect(fixture().count("GET /v1/account")).toBe(1);
  });

  it("does not start a retry wait that would end past it: the last failure comes back", async () => {
    fixture().route("GET /v1/account", { status: 503, headers: { "retry-after": "30" } });
    const error = await rejection(
      acmeClient(fixture(), { maxRetries: 5 }).getAccount({}, { totalTimeout: 2_000 }),
    );
    expect(error).toBeInstanceOf(ServerError);
    expect(fixture().count("GET /v1/account")).toBe(1);
  });

  it("is checked like the other options", async () => {
    for (const totalTimeout of [0, -1, Number.NaN, "5"]) {
      const error = await rejection(
        acmeClient(fixture()).getAccount({}, { totalTimeout } as never),
      );
      expect(error).toBeInstanceOf(InputError);
    }
  });
});
