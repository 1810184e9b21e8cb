export { createClient } from "./client.js";
export type { DriftProblem, DriftReport } from "./drift.js";
export {
  ApiError,
  type ApiErrorDetails,
  AuthenticationError,
  ConnectionError,
  InputError,
  NotFoundError,
  PaginationError,
  RateLimitError,
  RedirectError,
  ResponseTooLargeError,
  ServerError,
  SpendkitError,
  TimeoutError,
} from "./errors.js";
export { createJsonLogger } from "./json-logger.js";
export type { Hooks, Logger, LogLevel, RequestInfo, ResponseInfo } from "./observe.js";
export { isLogLevel } from "./observe.js";
export { type Backoff, follow } from "./retry.js";
export type {
  AuthSpec,
  ClientParamSpec,
  CursorPagination,
  EnvelopeSpec,
  FieldSchema,
  Location,
  MoneyUnit,
  OperationSpec,
  PageNumberPagination,
  PaginationSpec,
  ProviderSpec,
  ResponseSchemas,
  TimeForm,
  WindowSpec,
} from "./spec.js";
export type {
  AllOptions,
  CallOptions,
  Client,
  ClientOptions,
  FlatInput,
  Method,
  OperationTypes,
  SuccessBody,
} from "./types.js";
