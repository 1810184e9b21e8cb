import { pick } from "./path.js";
import type { CursorPagination } from "./spec.js";
import type { AllOptions } from "./types.js";
import { itemsOf, RepeatGuard, startWalk, type WalkTarget } from "./walk.js";

/**
 * Every page of a cursor list (`style: cursor`), in server order, as arrays of items. Each page
 * names the next one's cursor while it says more follow; the next page is requested as soon as
 * its cursor is known, so that it loads while the caller reads the current one (one page ahead:
 * a cursor list cannot be fetched further ahead). The guards of the numbered walks hold:
 *
 * - a page that says more follow but names no cursor (`bad-cursor`), a cursor already followed
 *   (`repeated-cursor`: a server that loops), or a page that repeats the one before
 *   (`repeated-page`) ends the walk with a `PaginationError` rather than walking forever or
 *   stopping silently short;
 * - it never requests more than `maxPages` pages;
 * - a page that fails throws when the walk reaches it; stopping early (break, an error, the
 *   caller's signal) cancels the request in flight.
 */
export async function* walkCursor(
  target: WalkTarget,
  spec: CursorPagination,
  input: Record<string, unknown> = {},
  options: AllOptions = {},
): AsyncGenerator<unknown[], void, undefined> {
  const walk = startWalk(target, input, options);
  const followed = new Set<string>();
  const guard = new RepeatGuard();
  try {
    // A caller may resume from a cursor of its own: it is sent with the first request.
    let cursor = walk.query[spec.cursor];
    if (typeof cursor === "string") followed.add(cursor);
    let loading = walk.request({});
    for (let page = 1; ; page++) {
      const payload = await loading;
      const items = itemsOf(payload, spec);
      if (items.length > 0 && guard.repeats(items)) {
        throw walk.error("repeated-page", page, "the server answered the previous page again");
      }
      if (pick(payload, spec.hasMore) !== true) {
        if (items.length) yield items;
        return;
      }
      const next = pick(payload, spec.next);
      if (typeof next !== "string" || next === "") {
        throw walk.error(
          "bad-cursor",
          page,
          `${spec.hasMore} is true but ${spec.next} names no cursor`,
        );
      }
      if (followed.has(next)) {
        throw walk.error("repeated-cursor", page, `${spec.next} repeats a cursor already followed`);
      }
      if (page >= walk.maxPages) {
        throw walk.error(
          "max-pages",
          page,
          `the list goes on past maxPages (${walk.maxPages}); raise maxPages if it is really that long`,
        );
      }
      followed.add(next);
      cursor = next;
      loading = walk.request({ [spec.cursor]: cursor });
      if (items.length) yield items;
    }
  } finally {
    walk.close();
  }
}
