/**
 * The ids seen most recently, up to a fixed number: the memory for de-duplicating a stream that
 * is mostly in order. A server that repeats rows repeats them close to where they first came
 * (the page before, a shifted page), so remembering the last `capacity` ids catches the repeats
 * while memory stays the same however long the stream is.
 */
export class RecentIds {
  readonly #capacity: number;
  readonly #ids = new Set<string>();
  readonly #order: string[] = [];
  #next = 0;

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  /** True when `id` was seen among the recent ones; otherwise remembers it and returns false. */
  seen(id: string): boolean {
    if (this.#ids.has(id)) return true;
    if (this.#order.length < this.#capacity) {
      this.#order.push(id);
    } else {
      // A ring: the oldest id makes room for the newest.
      this.#ids.delete(this.#order[this.#next]!);
      this.#order[this.#next] = id;
      this.#next = (this.#next + 1) % this.#capacity;
    }
    this.#ids.add(id);
    return false;
  }
}
