import type { DriftReport } from "@spendkit/core";
import { type CliIO, note } from "./io.js";

/**
 * Drift seen by a command's clients, noted on stderr once per (provider, operation, pointer),
 * with array indices folded into "*" so that a field that drifted on every row is one line.
 * With `--strict`, any drift makes the command exit 1 (after its output is written).
 */
export class DriftNotes {
  readonly #io: CliIO;
  readonly #seen = new Set<string>();

  constructor(io: CliIO) {
    this.#io = io;
  }

  /** How many distinct drifts were noted. */
  get count(): number {
    return this.#seen.size;
  }

  readonly report = (report: DriftReport): void => {
    const pointer = report.pointer.replace(/\/\d+(?=\/|$)/g, "/*") || "/";
    const key = `${report.provider}\u0000${report.operationId}\u0000${pointer}\u0000${report.problem}`;
    if (this.#seen.has(key)) return;
    this.#seen.add(key);
    note(
      this.#io,
      `drift: ${report.provider} ${report.operationId} (${report.status}) ${pointer}: ${report.problem}, the spec says ${report.expected}`,
    );
  };

  /** The exit code with drift taken into account: 1 under --strict when any was seen. */
  exitCode(code: number, strict: boolean | undefined): number {
    if (!strict || this.count === 0 || code !== 0) return code;
    note(this.#io, `--strict: ${this.count} drift${this.count === 1 ? "" : "s"} from the specs`);
    return 1;
  }
}

/** The help line of the flag, shared by the commands that call the APIs. */
export const STRICT_HELP =
  "  --strict            exit 1 when a response drifts from its spec (drift is always noted)";
