import type { Logger, LogLevel } from "./observe.js";

const RANK: Record<LogLevel, number> = { off: 0, error: 1, warn: 2, info: 3, debug: 4 };

/**
 * A Logger that writes one JSON object per line — `{"time","level","msg",...fields}` — for a
 * service whose logs are collected (journald, a container runtime) and parsed. Messages at a
 * level above `level` are dropped. Fields that are Errors are written as their name and message
 * (no stack: a log line is read by people who may not see the code).
 */
export function createJsonLogger(
  write: (line: string) => void,
  level: LogLevel = "info",
  now: () => Date = () => new Date(),
): Logger {
  const log = (at: Exclude<LogLevel, "off">) => (message: string, fields?: object) => {
    if (RANK[at] > RANK[level]) return;
    const record: Record<string, unknown> = { time: now().toISOString(), level: at, msg: message };
    for (const [key, value] of Object.entries(fields ?? {})) {
      if (key === "time" || key === "level" || key === "msg") continue;
      record[key] = value instanceof Error ? `${value.name}: ${value.message}` : value;
    }
    write(
      `${JSON.stringify(record, (_key, value) => (typeof value === "bigint" ? String(value) : value))}\n`,
    );
  };
  return { error: log("error"), warn: log("warn"), info: log("info"), debug: log("debug") };
}
