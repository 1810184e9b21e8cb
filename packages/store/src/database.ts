/** What both engines offer the store: parameterised queries and transactions, nothing more. */
export interface Queryable {
  /** Runs one statement with `$1 … $n` parameters; resolves with its rows. */
  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<Row[]>;
}

export interface Database extends Queryable {
  readonly engine: "pglite" | "postgres";
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * Takes the store's sync lock for this connection, or resolves `false` when another process
   * holds it. Released by `unlockSync` or when the connection ends (also when it is killed).
   */
  tryLockSync(): Promise<boolean>;
  unlockSync(): Promise<void>;
  close(): Promise<void>;
}

/** Serialises callers: a transaction on one connection must not interleave with another. */
export class Mutex {
  #tail: Promise<unknown> = Promise.resolve();

  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(fn);
    this.#tail = result.catch(() => {});
    return result;
  }
}
