import { type ParseArgsConfig, parseArgs } from "node:util";
import type { ProviderName } from "@spendkit/ledger";
import { isProviderName, providerNames } from "@spendkit/ledger";

import { UsageError } from "../usage-error.js";

export { UsageError };

const KEY_FLAGS = /^--?(api-?key|key|token|management-?key|secret)(=|$)/i;

/**
 * `node:util` parseArgs, strict, with spendkit's messages. A flag that looks like a key is
 * refused with a pointer to the environment: keys never go on the command line.
 */
export function parse<T extends NonNullable<ParseArgsConfig["options"]>>(
  args: readonly string[],
  options: T,
  command: string,
): ReturnType<
  typeof parseArgs<{ args: string[]; options: T; strict: true; allowPositionals: false }>
> {
  const keyFlag = args.find((arg) => KEY_FLAGS.test(arg));
  if (keyFlag) {
    throw new UsageError(
      `${keyFlag.split("=")[0]}: keys are read from the environment only (see spendkit ${command} --help), never from the command line`,
    );
  }
  try {
    return parseArgs({ args: [...args], options, strict: true, allowPositionals: false });
  } catch (error) {
    throw new UsageError(
      `${describeParseError(error, args, options)} (see spendkit ${command} --help)`,
    );
  }
}

/**
 * Node's own messages quote the argument they reject, and that argument may be a key pasted
 * in the wrong place: a message of ours names only the option the user mistyped, never a value.
 */
function describeParseError(
  error: unknown,
  args: readonly string[],
  options: NonNullable<ParseArgsConfig["options"]>,
): string {
  const code = (error as { code?: string }).code;
  if (code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL") {
    return "unexpected argument: every value follows its option (--since DATE)";
  }
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
    const flag = args.find((arg) => arg.startsWith("-") && !isKnownFlag(arg, options));
    return `unknown option ${flag && nameLike(flag) ? `"${flag.split("=")[0]}"` : "(not shown)"}`;
  }
  if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
    const name = Object.keys(options).find((option) =>
      (error as Error).message.includes(`--${option}`),
    );
    return name
      ? `--${name} ${options[name]?.type === "boolean" ? "takes no value" : "needs a value"}`
      : "an option has a bad value";
  }
  return "bad arguments";
}

function isKnownFlag(arg: string, options: NonNullable<ParseArgsConfig["options"]>): boolean {
  const name = arg.split("=")[0]!;
  return Object.entries(options).some(
    ([option, config]) => name === `--${option}` || (config.short && name === `-${config.short}`),
  );
}

/** Safe to print: a short word of lowercase letters and dashes, as option names are. */
function nameLike(flag: string): boolean {
  return /^--?[a-z][a-z-]{0,23}(=|$)/.test(flag);
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i;

/**
 * A date from the command line: `YYYY-MM-DD` (midnight UTC) or an RFC 3339 timestamp with a
 * zone (`2026-05-01T12:00:00Z`, `2026-05-01T14:00:00+02:00`). Anything else is bad usage.
 */
export function parseDate(value: string, flag: string): Date {
  const date = DATE.exec(value);
  const dateTime = date ? undefined : DATE_TIME.exec(value);
  const parts = (date ?? dateTime)?.slice(1, 7).map((part) => Number(part ?? 0));
  if (parts) {
    const [year, month, day, hour = 0, minute = 0, second = 0] = parts as number[];
    const valid =
      month! >= 1 &&
      month! <= 12 &&
      day! >= 1 &&
      day! <= new Date(Date.UTC(year!, month!, 0)).getUTCDate() &&
      hour <= 23 &&
      minute <= 59 &&
      second <= 59;
    const ms = date ? Date.UTC(year!, month! - 1, day!) : Date.parse(value.replace(" ", "T"));
    if (valid && !Number.isNaN(ms)) return new Date(ms);
  }
  throw new UsageError(
    `${flag}: not a date; use YYYY-MM-DD (UTC) or an RFC 3339 timestamp such as 2026-05-01T00:00:00Z`,
  );
}

/** `--provider a,b`: known names, no repeats. */
export function parseProviders(value: string | undefined): ProviderName[] | undefined {
  if (value === undefined) return undefined;
  const names = value
    .split(",")
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean);
  if (names.length === 0) throw new UsageError("--provider: name at least one provider");
  for (const name of names) {
    if (!isProviderName(name)) {
      throw new UsageError(`--provider: unknown provider; known: ${providerNames.join(", ")}`);
    }
  }
  return [...new Set(names)] as ProviderName[];
}

/** The window of a command: `--since` / `--until`, checked against each other and now. */
export function parseWindow(
  values: { since?: string | undefined; until?: string | undefined },
  now: Date,
  defaultDays?: number,
): { since: Date | undefined; until: Date } {
  const until = values.until === undefined ? now : parseDate(values.until, "--until");
  let since = values.since === undefined ? undefined : parseDate(values.since, "--since");
  if (since === undefined && defaultDays !== undefined) {
    since = new Date(until.getTime() - defaultDays * 86_400_000);
  }
  if (since && since.getTime() >= Math.min(until.getTime(), now.getTime())) {
    throw new UsageError("--since must be before --until and before now");
  }
  return { since, until: until.getTime() > now.getTime() ? now : until };
}
