import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** One request the receiver took, its signature checked against the secret it was given. */
export interface Received {
  headers: Record<string, string | string[] | undefined>;
  body: string;
  json: Record<string, unknown>;
  signatureValid: boolean;
  status: number;
}

/**
 * A webhook receiver on loopback, for tests: it checks every request's signature as a real
 * receiver would (HMAC-SHA256 of "<timestamp>.<raw body>"), answers with the next status of
 * `statuses` (then 200), and keeps what it took. `stop()` closes it.
 */
export async function startReceiver(secret: string) {
  const received: Received[] = [];
  const statuses: number[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const timestamp = String(request.headers["x-spendkit-timestamp"] ?? "");
      const signature = String(request.headers["x-spendkit-signature"] ?? "");
      const expected = `sha256=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
      const signatureValid =
        signature.length === expected.length &&
        timingSafeEqual(Buffer.from(signature), Buffer.from(expected));
      const status = statuses.shift() ?? 200;
      let json: Record<string, unknown> = {};
      try {
        json = JSON.parse(body);
      } catch {
        // kept as text; the test says what it expected
      }
      received.push({ headers: request.headers, body, json, signatureValid, status });
      response.writeHead(status, { "content-type": "text/plain" }).end(status < 300 ? "ok" : "no");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/spendkit`,
    received,
    /** The statuses of the next answers, in order. */
    answer: (...next: number[]) => statuses.push(...next),
    /** The requests that were answered 2xx, one per alert id (a repeat would show twice). */
    delivered: () => received.filter((r) => r.status < 300),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
