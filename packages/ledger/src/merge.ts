/**
 * K-way merge of sorted async streams of batches (pages), with a small binary heap of one head per
 * stream. Memory holds the current batch of each stream, whatever the length of the streams.
 * Working in batches keeps the per-item cost synchronous: a stream is only awaited when its
 * batch is used up.
 */

export interface MergeSource<T> {
  name: string;
  /** Batches of items; the concatenation of the batches is sorted. Empty batches are fine. */
  batches: AsyncIterable<readonly T[]>;
}

interface Cursor<T> {
  name: string;
  iterator: AsyncIterator<readonly T[]>;
  batch: readonly T[];
  index: number;
}

/** Largest batch the merge yields. */
const OUT_BATCH = 1_000;

/**
 * Yields the items of every source in `compare` order, in batches, given that each source is
 * already in that order. All sources are started at once; afterwards a source is only advanced
 * when its batch is used up, and the merged items gathered so far are yielded before waiting.
 *
 * A source that throws: with `onError`, it is reported there and dropped while the others go on
 * (if `onError` throws, the merge throws that); without, the merge throws. Stopping early closes
 * every source still open.
 */
export async function* mergeSorted<T>(
  sources: readonly MergeSource<T>[],
  compare: (a: T, b: T) => number,
  onError?: (name: string, error: unknown) => void,
): AsyncGenerator<T[], void, undefined> {
  const heap: Cursor<T>[] = [];
  const open = new Set<AsyncIterator<readonly T[]>>();
  const before = (a: Cursor<T>, b: Cursor<T>) => compare(a.batch[a.index]!, b.batch[b.index]!) < 0;
  const siftUp = (start: number) => {
    let i = start;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  };
  const siftDown = (start: number) => {
    let i = start;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < heap.length && before(heap[left]!, heap[smallest]!)) smallest = left;
      if (right < heap.length && before(heap[right]!, heap[smallest]!)) smallest = right;
      if (smallest === i) return;
      [heap[i], heap[smallest]] = [heap[smallest]!, heap[i]!];
      i = smallest;
    }
  };
  const removeTop = () => {
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      siftDown(0);
    }
  };

  // Reads batches until a non-empty one: true when the cursor has an item, false when the source
  // is done or dropped. Throws when it failed and there is no onError.
  const refill = async (cursor: Cursor<T>): Promise<boolean> => {
    try {
      for (;;) {
        const step = await cursor.iterator.next();
        if (step.done) break;
        if (step.value.length > 0) {
          cursor.batch = step.value;
          cursor.index = 0;
          return true;
        }
      }
    } catch (error) {
      open.delete(cursor.iterator);
      if (!onError) throw error;
      onError(cursor.name, error);
      return false;
    }
    open.delete(cursor.iterator);
    return false;
  };

  if (sources.length === 1) {
    // Nothing to merge: pass the batches through (a source's failure still goes to onError).
    const [source] = sources;
    try {
      for await (const batch of source!.batches) if (batch.length > 0) yield batch as T[];
    } catch (error) {
      if (!onError) throw error;
      onError(source!.name, error);
    }
    return;
  }
  try {
    const cursors = sources.map((source) => {
      const iterator = source.batches[Symbol.asyncIterator]();
      open.add(iterator);
      return { name: source.name, iterator, batch: [] as readonly T[], index: 0 };
    });
    const started = await Promise.allSettled(cursors.map(refill));
    for (const outcome of started) if (outcome.status === "rejected") throw outcome.reason;
    cursors.forEach((cursor, i) => {
      if ((started[i] as PromiseFulfilledResult<boolean>).value) {
        heap.push(cursor);
        siftUp(heap.length - 1);
      }
    });

    let out: T[] = [];
    while (heap.length > 0) {
      const top = heap[0]!;
      out.push(top.batch[top.index]!);
      top.index++;
      if (top.index < top.batch.length) {
        siftDown(0);
      } else {
        // Its batch is used up: hand over what is merged so far, then wait for the next batch.
        removeTop();
        if (out.length > 0) {
          yield out;
          out = [];
        }
        if (await refill(top)) {
          heap.push(top);
          siftUp(heap.length - 1);
        }
        continue;
      }
      if (out.length >= OUT_BATCH) {
        yield out;
        out = [];
      }
    }
    if (out.length > 0) yield out;
  } finally {
    await Promise.allSettled([...open].map((iterator) => iterator.return?.()));
  }
}

/** Batches of items → the items, one by one. */
export async function* flatten<T>(
  batches: AsyncIterable<readonly T[]>,
): AsyncGenerator<T, void, undefined> {
  for await (const batch of batches) yield* batch;
}
