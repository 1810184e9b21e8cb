import type { DriftReport } from "@spendkit/core";
import { DistinctDrift } from "../drift.js";
import { type CliIO, note } from "./io.js";

/**
 * Drift seen by a command's clients, noted on stderr once each (`DistinctDrift`), never with
 * the value that drifted. With `--strict`, any drift makes the command exit 1 (after its output
 * is written).
 */
export class DriftNotes {
  readonly #io: CliIO;
  readonly #distinct: DistinctDrift;
  /** A client's `onDrift`. */
  readonly report: (report: DriftReport) => void;

  /** `beforeNote` runs before each note is written (a progress line clears itself). */
  constructor(io: CliIO, beforeNote: () => void = () => {}) {
    this.#io = io;
    this.#distinct = new DistinctDrift((drift) => {
      beforeNote();
      note(
        io,
        `drift: ${drift.provider} ${drift.operationId} (${drift.status}) ${drift.pointer}: ${drift.problem}, the spec says ${drift.expected}`,
      );
    });
    this.report = this.#distinct.report;
  }

  /** How many distinct drifts were noted. */
  get count(): number {
    return this.#distinct.count;
  }

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
