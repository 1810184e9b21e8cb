// Synthetic provider and operation tables, modelled on the generated ones (ByteSpike's bearer
// API with `{error:{type,message}}` bodies, WaveSpeed's `{code,message,data}` envelope), and a
// client factory wired to the loopback fixture server with tiny backoff settings.
//
// The fixture is imported from the mock package's sources rather than as `@spendkit/mock`:
// that package depends on core, so core cannot depend on it.
import { type Fixture, startFixture } from "../../mock/src/fixture.js";
import {
  type ClientOptions,
  createClient,
  type OperationSpec,
  type ProviderSpec,
} from "../src/index.js";

export { type Fixture, sequence, startFixture } from "../../mock/src/fixture.js";

export const API_KEY = "sk-live-5Ecr3tKEY0123456789abcdef";

export const bearer: ProviderSpec = {
  name: "acme",
  baseUrl: "https://api.acme.invalid",
  error: { type: ["error.type"], code: ["error.code"], message: ["error.message"] },
};

export const enveloped: ProviderSpec = {
  name: "wavy",
  baseUrl: "https://api.wavy.invalid",
  envelope: { data: "data", code: "code", success: [200], message: "message" },
  error: { type: [], code: ["error_code", "code"], message: ["message"] },
};

export interface Row {
  id: number;
  created_at: string;
}
export interface RowPage {
  items: Row[];
  total: number;
}

const rowsInput = {
  type: "object",
  properties: {
    page: { type: "integer", minimum: 1 },
    page_size: { type: "integer", minimum: 1, maximum: 5 },
    kind: { type: "string", enum: ["topup", "refund"] },
    since: { type: "string", format: "date-time" },
    until: { type: "string", format: "date-time" },
  },
} as const;

export const operations = {
  /** A retry-safe GET list: page numbers, a total, a window pinned by `until`. */
  listRows: {
    method: "get",
    path: "/v1/rows",
    retrySafe: true,
    in: { page: "query", page_size: "query", kind: "query", since: "query", until: "query" },
    input: rowsInput,
    pagination: {
      page: "page",
      pageSize: "page_size",
      maxPageSize: 5,
      items: "items",
      total: "total",
      windowEnd: "until",
      windowEndFormat: "date-time",
    },
    window: { start: "since", end: "until" },
  },
  /** A GET list without a total. */
  listEvents: {
    method: "get",
    path: "/v1/events",
    retrySafe: true,
    in: { page: "query", page_size: "query" },
    input: {
      type: "object",
      properties: {
        page: { type: "integer", minimum: 1 },
        page_size: { type: "integer", minimum: 1, maximum: 5 },
      },
    },
    pagination: { page: "page", pageSize: "page_size", maxPageSize: 5, items: "items" },
  },
  getAccount: {
    method: "get",
    path: "/v1/account",
    retrySafe: true,
    in: {},
    input: { type: "object", properties: {} },
  },
  /** A read-only POST marked retry-safe (like WaveSpeed's search). */
  search: {
    method: "post",
    path: "/v1/search",
    retrySafe: true,
    in: { query: "body" },
    input: { type: "object", properties: { query: { type: "string", minLength: 1 } } },
  },
  /** A money-moving write: never retried. */
  topUp: {
    method: "post",
    path: "/v1/topup",
    retrySafe: false,
    in: { amount_cents: "body" },
    input: {
      type: "object",
      properties: { amount_cents: { type: "string", pattern: "^[0-9]+$" } },
      required: ["amount_cents"],
    },
  },
} satisfies Record<string, OperationSpec>;

export const envelopeOperations = {
  /** A read-only POST list with an epoch-milliseconds window end in the body. */
  searchBillings: {
    method: "post",
    path: "/api/v3/billings/search",
    retrySafe: true,
    in: { page: "body", page_size: "body", start_time: "body", end_time: "body" },
    input: {
      type: "object",
      properties: {
        page: { type: "integer", minimum: 1 },
        page_size: { type: "integer", minimum: 1, maximum: 3 },
        start_time: { type: "string", pattern: "^[0-9]+$" },
        end_time: { type: "string", pattern: "^[0-9]+$" },
      },
    },
    pagination: {
      page: "page",
      pageSize: "page_size",
      maxPageSize: 3,
      items: "items",
      total: "total",
      windowEnd: "end_time",
      windowEndFormat: "epoch-ms",
    },
    window: { start: "start_time", end: "end_time" },
  },
  getBalance: {
    method: "get",
    path: "/api/v3/balance",
    retrySafe: true,
    in: {},
    input: { type: "object", properties: {} },
  },
} satisfies Record<string, OperationSpec>;

type RowsInput = {
  page?: number;
  page_size?: number;
  kind?: "topup" | "refund";
  since?: string;
  until?: string;
};

export interface Ops {
  listRows: { input: RowsInput; result: RowPage; item: Row };
  listEvents: {
    input: { page?: number; page_size?: number };
    result: { items: Row[] };
    item: Row;
  };
  getAccount: { input: Record<string, never>; result: { balance: number } };
  search: { input: { query?: string }; result: { hits: number } };
  topUp: { input: { amount_cents: string }; result: { ok: boolean } };
}

export interface EnvelopeOps {
  searchBillings: {
    input: { page?: number; page_size?: number; start_time?: string; end_time?: string };
    result: { items: Row[]; total: number };
    item: Row;
  };
  getBalance: { input: Record<string, never>; result: { balance: number } };
}

/** Fast settings for tests: 1–5 ms backoff, a short timeout. */
export const FAST = { backoff: { initialDelay: 1, maxDelay: 5 }, timeout: 2_000 } as const;

export function acmeClient(fixture: Fixture, options: Partial<ClientOptions> = {}) {
  return createClient<Record<string, never>, Ops>(bearer, operations, {
    apiKey: API_KEY,
    baseUrl: fixture.url,
    ...FAST,
    ...options,
  });
}

export function wavyClient(fixture: Fixture, options: Partial<ClientOptions> = {}) {
  return createClient<Record<string, never>, EnvelopeOps>(enveloped, envelopeOperations, {
    apiKey: API_KEY,
    baseUrl: fixture.url,
    ...FAST,
    ...options,
  });
}

/** The rejection of a promise, or a failure when it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<any> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the promise to reject, but it resolved");
}

/**
 * A fresh fixture server for each test (its own port), so that a request a test left in flight
 * can never be counted by the next one.
 */
export function useFixture(hooks: {
  beforeEach: (fn: () => Promise<void>) => void;
  afterEach: (fn: () => Promise<void>) => void;
}): () => Fixture {
  let fixture: Fixture | undefined;
  hooks.beforeEach(async () => {
    fixture = await startFixture();
  });
  hooks.afterEach(async () => {
    const errors = fixture?.errors ?? [];
    await fixture?.stop();
    fixture = undefined;
    if (errors.length) throw new Error(`fixture handlers threw: ${errors.join("; ")}`);
  });
  return () => {
    if (!fixture) throw new Error("fixture not started");
    return fixture;
  };
}
