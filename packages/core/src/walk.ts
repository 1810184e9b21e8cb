import { PaginationError } from "./errors.js";
import { pick } from "./path.js";
import { follow } from "./retry.js";
import type { PageNumberPagination, PaginationSpec, TimeForm } from "./spec.js";
import type { AllOptions, CallOptions } from "./types.js";
import { checkOptions } from "./validate.js";

/**
 * What every automatic page walk shares: the query with its window end pinned and its page
 * size set, a controller that cancels the pages in flight when the walk stops, and the guards
 * that make a walk end whatever the server does.
 */

export type FetchPage = (input: Record<string, unknown>, options: CallOptions) => Promise<unknown>;

/** What a walk needs to know of the operation it pages through. */
export interface WalkTarget {
  provider: string;
  operationId: string;
  spec: PaginationSpec;
  fetchPage: FetchPage;
}

/** Pages one walk requests at most unless `maxPages` says otherwise. */
export const DEFAULT_MAX_PAGES = 10_000;

export interface Walk {
  /** The query of every page, window end pinned, page size set. */
  query: Record<string, unknown>;
  /** The page size asked for. */
  size: number | undefined;
  maxPages: number;
  concurrency: number;
  /** Passes a usable total on to the caller's `onTotal`. */
  total(total: number | undefined): number | undefined;
  /** Requests the page that `fields` (a page number, a cursor) select; its failure is surfaced when the walk reaches it. */
  request(fields: Record<string, unknown>): Promise<unknown>;
  /** Cancels what is in flight; call once, when the walk ends however it ends. */
  close(): void;
  error(reason: PaginationError["reason"], page: number, detail: string): PaginationError;
}

/** A walk of a page-numbered list: the first page number, and pages requested by number. */
export interface NumberedWalk extends Walk {
  firstPage: number;
  load(page: number): Promise<unknown>;
}

/** The window end `.all()` pins, in the field's form. */
function now(form: TimeForm | undefined): string | number {
  if (form === "epoch-ms") return String(Date.now());
  if (form === "unix-seconds") return Math.floor(Date.now() / 1000);
  return new Date().toISOString();
}

export function startWalk(
  target: WalkTarget,
  input: Record<string, unknown> = {},
  options: AllOptions = {},
): Walk {
  checkOptions(options);
  const { spec } = target;
  const { concurrency = 4, maxPages = DEFAULT_MAX_PAGES, onTotal, ...callOptions } = options;
  const query = { ...input };
  const { windowEnd } = spec;
  if (windowEnd && query[windowEnd] === undefined) query[windowEnd] = now(spec.windowEndFormat);
  if (spec.pageSize) query[spec.pageSize] ??= spec.maxPageSize;
  const controller = new AbortController();
  const unfollow = follow(callOptions.signal, controller);
  return {
    query,
    size: spec.pageSize ? (query[spec.pageSize] as number | undefined) : undefined,
    maxPages,
    concurrency,
    total(total) {
      if (total !== undefined) onTotal?.(total);
      return total;
    },
    request(fields) {
      const request = target.fetchPage(
        { ...query, ...fields },
        { ...callOptions, signal: controller.signal },
      );
      request.catch(() => {}); // surfaced when the walk reaches this page
      return request;
    },
    close() {
      unfollow();
      controller.abort();
    },
    error: (reason, page, detail) =>
      new PaginationError(target.provider, target.operationId, reason, page, detail),
  };
}

/** A walk of a page-numbered list (`spec` is the target's, narrowed). */
export function startNumberedWalk(
  target: WalkTarget,
  spec: PageNumberPagination,
  input: Record<string, unknown> = {},
  options: AllOptions = {},
): NumberedWalk {
  const walk = startWalk(target, input, options);
  return {
    ...walk,
    firstPage: (walk.query[spec.page] as number | undefined) ?? 1,
    load: (page) => walk.request({ [spec.page]: page }),
  };
}

/** The items array of a page (an absent or malformed one reads as empty: the walk ends). */
export function itemsOf(payload: unknown, spec: PaginationSpec): unknown[] {
  const items = pick(payload, spec.items);
  return Array.isArray(items) ? items : [];
}

/** The total the page reports, when it is a usable row count; undefined otherwise. */
export function totalOf(payload: unknown, spec: PageNumberPagination): number | undefined {
  const reported = spec.total === undefined ? undefined : pick(payload, spec.total);
  const total =
    typeof reported === "number" || (typeof reported === "string" && /^\d{1,16}$/.test(reported))
      ? Number(reported)
      : undefined;
  return total !== undefined && Number.isSafeInteger(total) && total >= 0 ? total : undefined;
}

/**
 * The page size the pages are counted in: the one the server reports, when it is a smaller
 * positive integer than the one asked for (a server that caps it), else the one asked for.
 */
export function pageSizeOf(
  payload: unknown,
  spec: PageNumberPagination,
  asked: number | undefined,
): number | undefined {
  const reported =
    spec.reportedPageSize === undefined ? undefined : pick(payload, spec.reportedPageSize);
  return Number.isSafeInteger(reported) &&
    (reported as number) > 0 &&
    (asked === undefined || (reported as number) < asked)
    ? (reported as number)
    : asked;
}

/**
 * Tells a page that repeats the one before it (a server that ignores the page number): the
 * first and last rows of each page are compared, which is cheap and enough, because distinct
 * rows are never equal.
 */
export class RepeatGuard {
  #previous: string | undefined;

  /** True when `items` (non-empty) starts and ends like the page before. */
  repeats(items: readonly unknown[]): boolean {
    const print = `${JSON.stringify(items[0])}\u0000${JSON.stringify(items[items.length - 1])}\u0000${items.length}`;
    const same = print === this.#previous;
    this.#previous = print;
    return same;
  }
}
