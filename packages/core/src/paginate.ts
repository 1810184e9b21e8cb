import { pick } from "./path.js";
import { follow } from "./retry.js";
import type { PaginationSpec } from "./spec.js";
import type { AllOptions, CallOptions } from "./types.js";
import { checkOptions } from "./validate.js";

type FetchPage = (input: Record<string, unknown>, options: CallOptions) => Promise<unknown>;

/**
 * Every item of a page-numbered list, in server order.
 *
 * - The window's end is pinned when the iteration starts (unless the caller set it), so rows
 *   written meanwhile neither shift later pages (duplicates) nor push rows off them (gaps).
 * - With a known total, up to `concurrency` pages are requested ahead of the one being read
 *   (one page ahead otherwise); at most that many pages wait in memory.
 * - It stops on an empty page, a short page (fewer items than the page size, whatever the total
 *   says), or the last page of the total.
 * - A page that fails throws when the iteration reaches it, after every earlier item was yielded;
 *   stopping early (break, return, an error, the caller's signal) cancels the requests in flight.
 */
export function paginate(
  fetchPage: FetchPage,
  spec: PaginationSpec,
  input: Record<string, unknown> = {},
  options: AllOptions = {},
): AsyncIterableIterator<unknown> {
  return flatten(pages(fetchPage, spec, input, options), options?.signal);
}

/**
 * The items of each page, one by one. A hand-written iterator rather than an async generator:
 * an item already in memory costs one resolved promise, not a generator resumption plus an
 * await of the yielded value.
 */
function flatten(
  source: AsyncGenerator<unknown[], void, undefined>,
  signal: AbortSignal | undefined,
): AsyncIterableIterator<unknown> {
  let items: unknown[] = [];
  let index = 0;
  // While a page loads, later calls wait for it: calls made without awaiting the previous one
  // still get every item once, in order, as they would from an async generator.
  let loading: Promise<IteratorResult<unknown[], void>> | undefined;
  const iterator: AsyncIterableIterator<unknown> = {
    [Symbol.asyncIterator]: () => iterator,
    next(): Promise<IteratorResult<unknown>> {
      if (loading) return loading.then(() => iterator.next());
      if (index < items.length) {
        if (signal?.aborted) return iterator.return!().then(() => Promise.reject(signal.reason));
        return Promise.resolve({ value: items[index++], done: false });
      }
      loading = source.next();
      return loading.then(
        (page) => {
          loading = undefined;
          if (page.done) return { value: undefined, done: true };
          items = page.value;
          index = 0;
          return iterator.next();
        },
        (error) => {
          loading = undefined;
          throw error;
        },
      );
    },
    return(): Promise<IteratorResult<unknown>> {
      items = [];
      return source.return(undefined).then(() => ({ value: undefined, done: true }));
    },
  };
  return iterator;
}

async function* pages(
  fetchPage: FetchPage,
  spec: PaginationSpec,
  input: Record<string, unknown>,
  options: AllOptions,
): AsyncGenerator<unknown[], void, undefined> {
  checkOptions(options);
  const { concurrency = 4, ...callOptions } = options;
  const { signal } = callOptions;
  const query = { ...input };
  const { windowEnd } = spec;
  if (windowEnd && query[windowEnd] === undefined) {
    query[windowEnd] =
      spec.windowEndFormat === "epoch-ms" ? String(Date.now()) : new Date().toISOString();
  }
  query[spec.pageSize] ??= spec.maxPageSize;
  const size = query[spec.pageSize] as number | undefined;
  const firstPage = (query[spec.page] as number | undefined) ?? 1;

  const controller = new AbortController();
  const unfollow = follow(signal, controller);
  const load = (page: number) => {
    const request = fetchPage(
      { ...query, [spec.page]: page },
      { ...callOptions, signal: controller.signal },
    );
    request.catch(() => {}); // surfaced when the iteration reaches this page
    return request;
  };

  try {
    let current = await load(firstPage);
    let items = itemsOf(current, spec.items);
    const reported = spec.total && pick(current, spec.total);
    const total =
      typeof reported === "number" || /^\d+$/.test(reported as string)
        ? Number(reported)
        : undefined;
    const lastPage = total !== undefined && size ? Math.ceil(total / size) : Infinity;
    const ahead = lastPage === Infinity ? 1 : concurrency;
    const pending: Promise<unknown>[] = [];
    let next = firstPage + 1;

    for (let page = firstPage; ; page++) {
      const done =
        items.length === 0 || (size !== undefined && items.length < size) || page >= lastPage;
      while (!done && pending.length < ahead && next <= lastPage) pending.push(load(next++));
      if (items.length) yield items;
      if (done) return;
      current = await pending.shift();
      items = itemsOf(current, spec.items);
    }
  } finally {
    unfollow();
    controller.abort();
  }
}

function itemsOf(payload: unknown, path: string): unknown[] {
  const items = pick(payload, path);
  return Array.isArray(items) ? items : [];
}
