/**
 * Runs `cycle` now and then every `intervalMs` (± `jitter` of it, so that many instances do not
 * hit a provider at the same second), one at a time: the next run is planned when one ends. A
 * cycle that throws is reported to `onError` and the schedule goes on.
 */
export class Schedule {
  readonly #cycle: (signal: AbortSignal) => Promise<void>;
  readonly #intervalMs: number;
  readonly #jitter: number;
  readonly #onError: (error: unknown) => void;
  readonly #controller = new AbortController();
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #stopped = false;

  constructor(options: {
    cycle: (signal: AbortSignal) => Promise<void>;
    intervalMs: number;
    jitter?: number;
    onError: (error: unknown) => void;
  }) {
    this.#cycle = options.cycle;
    this.#intervalMs = options.intervalMs;
    this.#jitter = options.jitter ?? 0.1;
    this.#onError = options.onError;
  }

  start(): void {
    this.#run();
  }

  /** The delay before the next run: the interval, moved by up to ± jitter of it. */
  nextDelay(random: number = Math.random()): number {
    return Math.max(0, Math.round(this.#intervalMs * (1 + this.#jitter * (2 * random - 1))));
  }

  /**
   * Plans no further run and asks the running one to stop (its batch in flight is committed);
   * resolves when it has.
   */
  async stop(reason: Error = new Error("shutting down")): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#controller.abort(reason);
    await this.#running;
  }

  #run(): void {
    if (this.#stopped) return;
    this.#running = this.#cycle(this.#controller.signal)
      .catch((error) => {
        if (!this.#controller.signal.aborted) this.#onError(error);
      })
      .finally(() => {
        this.#running = undefined;
        if (!this.#stopped) this.#timer = setTimeout(() => this.#run(), this.nextDelay());
      });
  }
}
