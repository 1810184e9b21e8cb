// Test support shared by the packages' suites: a fetch that answers from a function, async
// iteration helpers, an in-memory output, and a strict RFC 4180 reader to check what the CSV
// writers put out. Nothing here knows a provider.

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
