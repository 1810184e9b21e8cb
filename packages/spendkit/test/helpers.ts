import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { LedgerEntry } from "../src/index.js";

/** A `fetch` that answers from a function instead of the network: real clients, no sockets. */
export function fakeFetch(
  handler: (request: { method: string; url: URL; body: any }) => unknown | Promise<unknown>,
): typeof fetch & { calls: { method: string; url: URL; body: any }[] } {
  const calls: { method: string; url: URL; body: any }[] = [];
  const fn = async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = input instanceof Request ? input : new Request(input, init);
    const text = await request.text();
    const call = {
      method: request.method,
      url: new URL(request.url),
      body: text ? JSON.parse(text) : undefined,
    };
    calls.push(call);
    const answer = (await handler(call)) as { status?: number; json?: unknown } | undefined;
    const status = answer?.status ?? 200;
    return new Response(JSON.stringify(answer?.json ?? {}), {
      status,
      headers: { "content-type": "application/json" },
    });
  };
  return Object.assign(fn, { calls }) as typeof fetch & { calls: typeof calls };
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const found: T[] = [];
  for await (const item of items) found.push(item);
  return found;
}

export async function* streamOf<T>(items: Iterable<T>): AsyncGenerator<T> {
  yield* items;
}

/** A minimal entry for writer and merge tests. */
export function entry(
  fields: Partial<LedgerEntry> & Pick<LedgerEntry, "provider" | "id" | "time">,
): LedgerEntry {
  return { kind: "usage", amount: "-1.00", currency: "USD", raw: {}, ...fields };
}

/** A string sink with the writable surface the writers use. */
export function memoryOutput() {
  const chunks: string[] = [];
  return {
    chunks,
    text: () => chunks.join(""),
    write(chunk: string) {
      chunks.push(chunk);
      return true;
    },
    once() {},
    removeListener() {},
  };
}

/** RFC 4180 parser (quoted fields, doubled quotes, CRLF), strict about line endings. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
      } else if (c === '"') {
        quoted = false;
        i++;
      } else {
        field += c;
        i++;
      }
    } else if (c === '"') {
      if (field !== "") throw new Error(`quote inside an unquoted field at ${i}`);
      quoted = true;
      i++;
    } else if (c === ",") {
      row.push(field);
      field = "";
      i++;
    } else if (c === "\r" && text[i + 1] === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      i += 2;
    } else if (c === "\r" || c === "\n") {
      throw new Error(`bare ${c === "\r" ? "CR" : "LF"} outside quotes at ${i}`);
    } else {
      field += c;
      i++;
    }
  }
  if (quoted) throw new Error("unterminated quoted field");
  if (field !== "" || row.length > 0) throw new Error("last record lacks its CRLF");
  return rows;
}

/** CSV rows as objects keyed by the header. */
export function csvObjects(text: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text);
  return rows.map((row) => {
    if (row.length !== header!.length)
      throw new Error(`row has ${row.length} fields, header ${header!.length}`);
    return Object.fromEntries(header!.map((name, i) => [name, row[i]!]));
  });
}

export const CLI = fileURLToPath(new URL("../dist/cli.js", import.meta.url));

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `node dist/cli.js ...args` with exactly `env` (plus PATH): no key leaks in from the
 * developer's environment.
 */
export function runCli(
  args: readonly string[],
  options: { env?: Record<string, string>; cwd?: string; onSpawn?: (pid: number) => void } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: options.cwd ?? process.cwd(),
      env: { PATH: process.env.PATH ?? "", ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.once("error", reject);
    if (child.pid) options.onSpawn?.(child.pid);
    child.once("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}
