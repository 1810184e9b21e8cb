import { walkCursor } from "./cursor.js";
import type { PageNumberPagination } from "./spec.js";
import type { AllOptions } from "./types.js";
import {
  itemsOf,
  type NumberedWalk,
  pageSizeOf,
  RepeatGuard,
  startNumberedWalk,
  totalOf,
  type WalkTarget,
} from "./walk.js";

/**
 * Every page of a list, in server order, as arrays of items: a cursor list as `walkCursor`
 * walks it, a page-numbered one as follows.
 *
 * - The window's end is pinned when the walk starts (unless the caller set it), so rows written
 *   meanwhile neither shift later pages (duplicates) nor push rows off them (gaps).
 * - With a known total, up to `concurrency` pages are requested ahead of the one being read
 *   (one page ahead otherwise); at most that many pages wait in memory.
 * - It stops on an empty page, a short page (fewer items than the page size, whatever the total
 *   says), or the last page of the total. It never requests more than `maxPages` pages: a walk
 *   that would (a lying total, pages that never shrink) fails with a `PaginationError`, and so
 *   does a page that repeats the one before it.
 * - A page that fails throws when the walk reaches it, after every earlier page was yielded;
 *   stopping early (break, return, an error, the caller's signal) cancels the requests in flight.
 */
export async function* walkPages(
  target: WalkTarget,
  input: Record<string, unknown> = {},
  options: AllOptions = {},
): AsyncGenerator<unknown[], void, undefined> {
  const { spec } = target;
  if (spec.style === "cursor") {
    yield* walkCursor(target, spec, input, options);
    return;
  }
  const walk = startNumberedWalk(target, spec, input, options);
  try {
    yield* forward(walk, spec);
  } finally {
    walk.close();
  }
}

async function* forward(
  walk: NumberedWalk,
  spec: PageNumberPagination,
): AsyncGenerator<unknown[], void> {
  const { firstPage, maxPages } = walk;
  const guard = new RepeatGuard();
  let current = await walk.load(firstPage);
  let items = itemsOf(current, spec);
  const size = pageSizeOf(current, spec, walk.size);
  const total = walk.total(totalOf(current, spec));
  const lastPage = total !== undefined && size ? Math.ceil(total / size) : Infinity;
  const ahead = lastPage === Infinity ? 1 : walk.concurrency;
  // The last page this walk may request: maxPages counts from the first.
  const bound = Math.min(firstPage + maxPages - 1, Number.MAX_SAFE_INTEGER);
  const pending: Promise<unknown>[] = [];
  let next = firstPage + 1;

  for (let page = firstPage; ; page++) {
    if (items.length > 0 && guard.repeats(items)) {
      throw walk.error("repeated-page", page, "the server answered the previous page again");
    }
    const done =
      items.length === 0 || (size !== undefined && items.length < size) || page >= lastPage;
    if (!done && page >= bound) {
      throw walk.error(
        "max-pages",
        page,
        `the list goes on past maxPages (${maxPages}); raise maxPages if it is really that long`,
      );
    }
    while (!done && pending.length < ahead && next <= Math.min(lastPage, bound)) {
      pending.push(walk.load(next++));
    }
    if (items.length) yield items;
    if (done) return;
    current = await pending.shift();
    items = itemsOf(current, spec);
  }
}

/**
 * Every page of a newest-first list from the last page to the first, each page's items
 * reversed: the whole list oldest first, for lists that offer no ascending order. The first
 * page is read first to learn the total (it is kept and yielded last); then the last page down
 * to the second, up to `concurrency` ahead. The same guards as `walkPages` apply; the total must
 * be reported, since the walk cannot know where to start without it, unless the first page is
 * short (it is then the whole list).
 */
export async function* walkPagesReversed(
  target: WalkTarget,
  input: Record<string, unknown> = {},
  options: AllOptions = {},
): AsyncGenerator<unknown[], void, undefined> {
  const { spec } = target;
  if (spec.style === "cursor") {
    throw new TypeError(
      `${target.operationId}: a cursor list is walked forwards only; use pages() or all()`,
    );
  }
  const walk = startNumberedWalk(target, spec, input, options);
  try {
    const first = await walk.load(walk.firstPage);
    const firstItems = itemsOf(first, spec);
    const total = walk.total(totalOf(first, spec));
    // An empty first page is an empty list, whatever the total claims.
    if (firstItems.length === 0) return;
    // A short first page is the whole list, whatever the total says: the same rule as the
    // forward walk's (a provider's own abbreviated examples pair two rows with a total of 47).
    const size = pageSizeOf(first, spec, walk.size) ?? firstItems.length;
    if (firstItems.length < size) {
      yield firstItems.reverse();
      return;
    }
    if (total === undefined) {
      throw walk.error("bad-total", walk.firstPage, "no usable total: cannot find the last page");
    }
    const pages = Math.ceil(total / size);
    if (pages > walk.maxPages) {
      throw walk.error(
        "max-pages",
        walk.firstPage,
        `a total of ${total} rows needs more than maxPages (${walk.maxPages}) pages; raise maxPages if it is really that long`,
      );
    }
    const lastPage = walk.firstPage + Math.max(0, pages - 1);
    const guard = new RepeatGuard();
    const pending: { page: number; request: Promise<unknown> }[] = [];
    let next = lastPage;
    const fill = () => {
      while (pending.length < walk.concurrency && next > walk.firstPage) {
        pending.push({ page: next, request: walk.load(next--) });
      }
    };
    fill();
    while (pending.length > 0) {
      const { page, request } = pending.shift()!;
      const items = itemsOf(await request, spec);
      fill();
      // Past-the-end pages of a total that shrank are empty: nothing to yield, the walk goes on.
      if (items.length === 0) continue;
      if (guard.repeats(items)) {
        throw walk.error("repeated-page", page, "the server answered the previous page again");
      }
      yield items.reverse();
    }
    if (firstItems.length > 0) {
      if (guard.repeats(firstItems)) {
        throw walk.error(
          "repeated-page",
          walk.firstPage,
          "the server answered the same page again",
        );
      }
      yield firstItems.reverse();
    }
  } finally {
    walk.close();
  }
}

/**
 * Every item of `walkPages`, one by one. A hand-written iterator rather than an async
 * generator: an item already in memory costs one resolved promise, not a generator resumption
 * plus an await of the yielded value.
 */
export function paginate(
  target: WalkTarget,
  input: Record<string, unknown> = {},
  options: AllOptions = {},
): AsyncIterableIterator<unknown> {
  return flatten(walkPages(target, input, options), options?.signal);
}

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
