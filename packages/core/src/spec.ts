/**
 * The shapes of the tables that `@spendkit/codegen` derives from each spec. The runtime
 * reads only these tables: everything that differs between providers is data here.
 */

/** The subset of JSON Schema that input validation understands (all the specs use). */
export interface FieldSchema {
  type?: string | string[];
  enum?: readonly (string | number | boolean | null)[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  format?: string;
  items?: FieldSchema;
  properties?: Record<string, FieldSchema>;
  required?: readonly string[];
  /** Alternatives, any one of which must hold (from `oneOf`/`anyOf`). */
  anyOf?: readonly FieldSchema[];
  /** Response schemas: true when the object may hold fields the spec does not name. */
  additionalProperties?: boolean;
}

export type Location = "path" | "query" | "body";

export interface PaginationSpec {
  /** Request field with the 1-based page number. */
  page: string;
  /** Request field with the page size. */
  pageSize: string;
  /** The largest page size the spec allows: what `.all()` asks for by default. */
  maxPageSize?: number;
  /** Dotted path of the items array in the payload. */
  items: string;
  /** Dotted path of the total row count in the payload, when the provider reports one. */
  total?: string;
  /** Dotted path of the page size the server says it used, when it reports one. */
  reportedPageSize?: string;
  /** Request field that bounds the window's end; `.all()` pins it at start when unset. */
  windowEnd?: string;
  /** How that field is written. */
  windowEndFormat?: "date-time" | "epoch-ms";
}

export interface WindowSpec {
  start: string;
  end: string;
}

/**
 * The unit of a money value (`x-spendkit-money`, specs/README.md). The generator accepts exactly
 * these: adding one here is what lets a spec use it.
 */
export type MoneyUnit = "usd" | "usd-cents" | "usd-cents-object" | "usd-cent-millionths";

export interface OperationSpec {
  method: "get" | "post" | "put" | "patch" | "delete";
  path: string;
  /** Whether repeating the request cannot change anything; only such requests are retried. */
  retrySafe: boolean;
  /** Where each field of the flat input goes. */
  in: Record<string, Location>;
  /** Constraints of the flat input, from the spec. */
  input: FieldSchema;
  pagination?: PaginationSpec;
  /** A start/end pair of fields where start must come before end. */
  window?: WindowSpec;
  /**
   * The response body schema per status, for drift checks (`onDrift`). Generated packages keep
   * these in a table of their own (`ResponseSchemas`), loaded only when `onDrift` is set.
   */
  responses?: Readonly<Record<string, FieldSchema>>;
  /**
   * The unit of each money field of the returned payload, by a JSON-pointer-like path in which
   * `*` stands for any array item or map value (`/items/*` then `/amount_usd`).
   */
  money?: { [path: string]: MoneyUnit };
}

/** The response body schemas of a provider's operations, by operationId and then status. */
export type ResponseSchemas = Readonly<Record<string, Readonly<Record<string, FieldSchema>>>>;

export interface EnvelopeSpec {
  data: string;
  code: string;
  success: readonly (number | string)[];
  message?: string;
}

export interface ClientParamSpec {
  option: string;
  discover?: { operation: string; field: string };
}

export interface ProviderSpec {
  name: string;
  baseUrl: string;
  envelope?: EnvelopeSpec;
  error: { type?: readonly string[]; code?: readonly string[]; message?: readonly string[] };
  clientParams?: Record<string, ClientParamSpec>;
}
