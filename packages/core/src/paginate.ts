import { InputError } from "./errors.js";
import { pick } from "./path.js";
import type { PaginationSpec } from "./spec.js";
import type { AllOptions, CallOptions } from "./types.js";

type FetchPage = (input: Record<string, unknown>, options: CallOptions) => Promise<unknown>;

/**
 * Every item of a page-numbered list, in server order.
 *
 * - The window's end is pinned when the iteration starts (unless the caller set it), so rows
 *   written meanwhile neither shift later pages (duplicates) nor push rows off them (gaps).
 * - With a known total, up to `concurrency` pages are requested ahead of the one being read;
 *   at most that many pages are held in memory at once.
 * - It stops on an empty page, a short page, or the last page of the total.
 * - A page that fails throws when the iteration reaches it, after every earlier item was yielded;
 *   stopping early (break, return, an error) cancels the requests still in flight.
 */
export async function* paginate(
  fetchPage: FetchPage,
  spec: PaginationSpec,
  input: Record<string, unknown> = {},
  options: AllOptions = {},
): AsyncGenerator<unknown, void, undefined> {
  const { concurrency = 4, ...callOptions } = options;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new InputError("concurrency", "minimum", "must be an integer of at least 1");
  }
  const query = pinWindow({ ...input }, spec);
  if (query[spec.pageSize] === undefined && spec.maxPageSize !== undefined) {
    query[spec.pageSize] = spec.maxPageSize;
  }
  const size = query[spec.pageSize] as number | undefined;
  const firstPage = (query[spec.page] as number | undefined) ?? 1;

  const controller = new AbortController();
  const onCallerAbort = () => controller.abort(callOptions.signal?.reason);
  callOptions.signal?.addEventListener("abort", onCallerAbort, { once: true });
  const load = (page: number) =>
    fetchPage({ ...query, [spec.page]: page }, { ...callOptions, signal: controller.signal });

  try {
    let current = await load(firstPage);
    const total = spec.total === undefined ? undefined : pick(current, spec.total);
    const lastPage =
      typeof total === "number" && size !== undefined
        ? firstPage - 1 + Math.ceil(Math.max(0, total - (firstPage - 1) * size) / size)
        : Number.POSITIVE_INFINITY;
    const ahead = lastPage === Number.POSITIVE_INFINITY ? 1 : concurrency;
    const pending: Promise<unknown>[] = [];
    let next = firstPage + 1;

    for (;;) {
      const items = itemsOf(current, spec.items);
      const done =
        items.length === 0 || (size !== undefined && items.length < size) || next > lastPage;
      while (!done && pending.length < ahead && next <= lastPage) {
        const request = load(next++);
        request.catch(() => {}); // surfaced when the iteration reaches this page
        pending.push(request);
      }
      for (const item of items) yield item;
      const following = done ? undefined : pending.shift();
      if (!following) return;
      current = await following;
    }
  } finally {
    callOptions.signal?.removeEventListener("abort", onCallerAbort);
    controller.abort();
  }
}

function pinWindow(query: Record<string, unknown>, spec: PaginationSpec): Record<string, unknown> {
  if (spec.windowEnd && query[spec.windowEnd] === undefined) {
    query[spec.windowEnd] =
      spec.windowEndFormat === "epoch-ms" ? String(Date.now()) : new Date().toISOString();
  }
  return query;
}

function itemsOf(payload: unknown, path: string): unknown[] {
  const items = pick(payload, path);
  return Array.isArray(items) ? items : [];
}
