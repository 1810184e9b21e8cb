import type { CliIO } from "./io.js";

/**
 * A one-line progress indicator on stderr ("reading: provider-a 1,200 · provider-b 300", or any
 * line a command draws with `show`), redrawn at most every 100 ms, and only when stderr is a
 * terminal; otherwise it does nothing.
 */
export class Progress {
  readonly #io: CliIO;
  readonly #enabled: boolean;
  readonly #counts = new Map<string, number>();
  #last = 0;
  #shown = false;

  /** `enabled` is further limited to a terminal stderr. */
  constructor(io: CliIO, names: readonly string[], enabled = true) {
    this.#io = io;
    this.#enabled = enabled && io.stderr.isTTY === true;
    for (const name of names) this.#counts.set(name, 0);
  }

  /** Counts a batch of entries. */
  count(entries: readonly { provider: string }[]): void {
    if (!this.#enabled) return;
    for (const { provider } of entries)
      this.#counts.set(provider, (this.#counts.get(provider) ?? 0) + 1);
    this.show(() => {
      const parts = [...this.#counts].map(
        ([name, count]) => `${name} ${count.toLocaleString("en-US")}`,
      );
      return `reading: ${parts.join(" · ")}`;
    });
  }

  /** Redraws the line as `line()` (called only when it is drawn) says, at most every 100 ms. */
  show(line: () => string): void {
    if (!this.#enabled) return;
    const now = Date.now();
    if (now - this.#last < 100) return;
    this.#last = now;
    this.#io.stderr.write(`\r\u001b[2K${line()}`);
    this.#shown = true;
  }

  /** Clears the line (call before writing anything else to stderr). */
  clear(): void {
    if (this.#shown) this.#io.stderr.write("\r\u001b[2K");
    this.#shown = false;
    this.#last = 0;
  }
}
