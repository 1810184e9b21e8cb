import type { CliIO } from "./io.js";

/**
 * `spendkit sync`'s progress on stderr, only when it is a terminal: one line per account,
 * redrawn at most every 100 ms while the account syncs — rows read, of the total where the
 * provider states one, the rate, and the time left — and left in place when it is done.
 */
export class SyncProgressLine {
  readonly #io: CliIO;
  readonly #enabled: boolean;
  #label = "";
  #started = 0;
  #last = 0;
  #total: number | undefined;

  constructor(io: CliIO) {
    this.#io = io;
    this.#enabled = io.stderr.isTTY === true;
  }

  start(label: string): void {
    this.#label = label;
    this.#started = Date.now();
    this.#last = 0;
    this.#total = undefined;
    this.#draw(0, true);
  }

  /** The provider stated how many rows the window holds. */
  total(rows: number): void {
    this.#total = rows;
  }

  update(read: number): void {
    this.#draw(read, false);
  }

  /** Ends the account's line with a final figure. */
  finish(read: number): void {
    this.#draw(read, true);
    if (this.#enabled) this.#io.stderr.write("\n");
  }

  /** Clears the current line before something else is written to stderr. */
  clear(): void {
    if (this.#enabled) this.#io.stderr.write("\r\u001b[2K");
    this.#last = 0;
  }

  #draw(read: number, force: boolean): void {
    if (!this.#enabled) return;
    const now = Date.now();
    if (!force && now - this.#last < 100) return;
    this.#last = now;
    const seconds = Math.max((now - this.#started) / 1000, 0.001);
    const rate = read / seconds;
    const total = this.#total;
    const parts = [
      `${read.toLocaleString("en-US")}${total !== undefined ? ` of ${total.toLocaleString("en-US")}` : ""} rows`,
      `${Math.round(rate).toLocaleString("en-US")} rows/s`,
    ];
    if (total !== undefined && rate > 0 && read < total) {
      parts.push(`${formatDuration((total - read) / rate)} left`);
    }
    this.#io.stderr.write(`\r\u001b[2Ksyncing ${this.#label}: ${parts.join(" · ")}`);
  }
}

function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Math.ceil(seconds)} s`;
  const minutes = Math.floor(seconds / 60);
  return minutes < 60
    ? `${minutes} min ${Math.ceil(seconds % 60)} s`
    : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
