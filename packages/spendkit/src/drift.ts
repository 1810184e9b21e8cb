import type { DriftReport } from "@spendkit/core";

/**
 * Each distinct drift once: by provider, operation, pointer and problem, with array indices
 * folded into "*" so that a field that drifted on every row is one drift, not one per row. A
 * command keeps one for its run, the service one for its life: the first time is news, the
 * thousandth page of the same is not.
 */
export class DistinctDrift {
  readonly #seen = new Set<string>();
  readonly #perProvider = new Map<string, number>();
  readonly #onNew: (drift: DriftReport) => void;

  /** `onNew` gets each distinct drift once, its pointer folded. */
  constructor(onNew: (drift: DriftReport) => void) {
    this.#onNew = onNew;
  }

  /** How many distinct drifts were seen. */
  get count(): number {
    return this.#seen.size;
  }

  /** How many distinct drifts of one provider were seen. */
  countOf(provider: string): number {
    return this.#perProvider.get(provider) ?? 0;
  }

  /** A client's `onDrift`. */
  readonly report = (report: DriftReport): void => {
    const pointer = report.pointer.replace(/\/\d+(?=\/|$)/g, "/*") || "/";
    const key = `${report.provider}\u0000${report.operationId}\u0000${pointer}\u0000${report.problem}`;
    if (this.#seen.has(key)) return;
    this.#seen.add(key);
    this.#perProvider.set(report.provider, this.countOf(report.provider) + 1);
    this.#onNew({ ...report, pointer });
  };
}
