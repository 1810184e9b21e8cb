import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createClient, InputError, type OperationSpec, type ProviderSpec } from "../src/index.js";
import { API_KEY, FAST, type Fixture, rejection, sequence, useFixture } from "./support.js";

const fixture = useFixture({ beforeEach, afterEach });

// Modelled on xAI: the team id is a path parameter the client fills in, from an option or,
// when that is absent, discovered once through key validation.
const provider: ProviderSpec = {
  name: "teamy",
  baseUrl: "https://api.teamy.invalid",
  error: { message: ["message"] },
  clientParams: {
    team_id: { option: "teamId", discover: { operation: "validateKey", field: "team.id" } },
  },
};

const operations = {
  validateKey: {
    method: "get",
    path: "/auth/validate",
    retrySafe: true,
    in: {},
    input: { type: "object", properties: {} },
  },
  getBalance: {
    method: "get",
    path: "/teams/{team_id}/balance",
    retrySafe: true,
    in: { team_id: "path" },
    input: { type: "object", properties: { team_id: { type: "string" } } },
  },
} satisfies Record<string, OperationSpec>;

interface Ops {
  validateKey: { input: Record<string, never>; result: { team: { id: string } } };
  getBalance: { input: { team_id?: string }; result: { cents: string } };
}

const make = (f: Fixture, options: { teamId?: string } = {}) =>
  createClient<Record<string, never>, Ops>(provider, operations, {
    apiKey: API_KEY,
    baseUrl: f.url,
    ...FAST,
    ...options,
  } as never);

const serveBalance = (f: Fixture) =>
  f.route("GET /teams/:team/balance", (req) => ({ json: { cents: `${req.params.team}:100` } }));

describe("client-filled path parameters", () => {
  it("come from the option when it is set, without discovery", async () => {
    serveBalance(fixture());
    await expect(make(fixture(), { teamId: "t-opt" }).getBalance()).resolves.toEqual({
      cents: "t-opt:100",
    });
    expect(fixture().count("GET /auth/validate")).toBe(0);
  });

  it("a value in the call's input wins", async () => {
    serveBalance(fixture());
    const client = make(fixture(), { teamId: "t-opt" });
    await expect(client.getBalance({ team_id: "t-in" })).resolves.toEqual({ cents: "t-in:100" });
  });

  it("are discovered once and shared by concurrent and later calls", async () => {
    serveBalance(fixture());
    fixture().route("GET /auth/validate", { delay: 20, json: { team: { id: "t-found" } } });
    const client = make(fixture());
    const results = await Promise.all([client.getBalance(), client.getBalance()]);
    await client.getBalance();
    expect(results).toEqual([{ cents: "t-found:100" }, { cents: "t-found:100" }]);
    expect(fixture().count("GET /auth/validate")).toBe(1);
    expect(fixture().count("GET /teams/:team/balance")).toBe(3);
  });

  it("a failed discovery is not cached, and a payload without the field is an InputError", async () => {
    serveBalance(fixture());
    fixture().route(
      "GET /auth/validate",
      sequence(
        { status: 401, json: { message: "bad key" } },
        { json: { team: {} } },
        {
          json: { team: { id: "t-2" } },
        },
      ),
    );
    const client = make(fixture());
    expect((await rejection(client.getBalance())).status).toBe(401);
    const missing = await rejection(client.getBalance());
    expect(missing).toBeInstanceOf(InputError);
    expect(missing).toMatchObject({ field: "teamId", rule: "required" });
    await expect(client.getBalance()).resolves.toEqual({ cents: "t-2:100" });
    expect(fixture().count("GET /auth/validate")).toBe(3);
  });

  it("the first caller's abort does not fail the others waiting on the same discovery", async () => {
    serveBalance(fixture());
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    fixture().route("GET /auth/validate", async () => {
      await released;
      return { json: { team: { id: "t-shared" } } };
    });
    const client = make(fixture());
    const controller = new AbortController();
    const first = rejection(client.getBalance({}, { signal: controller.signal }));
    const second = client.getBalance();
    await fixture().waitFor(() => fixture().count("GET /auth/validate") === 1);
    const reason = new Error("first caller gave up");
    controller.abort(reason);
    expect(await first).toBe(reason);
    release();
    await expect(second).resolves.toEqual({ cents: "t-shared:100" });
    expect(fixture().count("GET /auth/validate")).toBe(1);
    expect(fixture().count("GET /teams/:team/balance")).toBe(1);
  });
});
