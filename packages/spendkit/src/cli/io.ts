import type { Output } from "@spendkit/ledger";
import { printable } from "@spendkit/ledger";

/** What a command may touch: its environment and its two streams. */
export interface CliIO {
  env: Record<string, string | undefined>;
  cwd: string;
  stdout: Output & { isTTY?: boolean; columns?: number };
  stderr: Output & { isTTY?: boolean; columns?: number };
}

/**
 * Writes a line to stderr with the program's prefix. Messages carry server text (errors,
 * warnings), so control characters and escape sequences are neutralised here, for every line.
 */
export function note(io: CliIO, message: string): void {
  io.stderr.write(`spendkit: ${printable(message)}\n`);
}

/** A one-line description of a failure, without the provider prefix the errors carry. */
export function describeError(provider: string, error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const message = error.message.startsWith(`${provider}: `)
    ? error.message.slice(provider.length + 2)
    : error.message;
  const requestId = (error as { requestId?: unknown }).requestId;
  return `${error.name}: ${message}${typeof requestId === "string" && requestId ? ` (request id ${requestId})` : ""}`;
}

/** Prints the failure summary; returns the exit code (1 when anything failed). */
export function reportFailures(io: CliIO, failures: Map<string, unknown>, what: string): number {
  if (failures.size === 0) return 0;
  const names = [...failures.keys()];
  note(
    io,
    `${names.length} provider${names.length === 1 ? "" : "s"} failed (${names.join(", ")}); ${what}:`,
  );
  // Keys are providers or "provider/account" labels; errors carry the provider's prefix.
  for (const [label, error] of failures) {
    const provider = label.split("/")[0]!;
    io.stderr.write(`  ${label}: ${printable(describeError(provider, error))}\n`);
  }
  return 1;
}
