import { type ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { specPath } from "./specs.js";

export interface RunningMock {
  /** Base URL of the mock, e.g. http://127.0.0.1:43817 */
  url: string;
  port: number;
  pid: number;
  /** Stops the mock by PID and waits until it has exited. */
  stop(): Promise<void>;
}

export interface StartPrismOptions {
  /** Port to listen on; default: a free one. */
  port?: number;
  /** How long to wait for Prism to listen, in ms. Default 60_000. */
  startTimeout?: number;
}

/**
 * Starts a Prism mock of specs/<name>.yaml on 127.0.0.1. Prism validates every request against
 * the spec: a request that breaks it is answered with the spec's 4xx (or 422) and an
 * `sl-violations` header, which is what lets contract tests fail.
 */
export async function startPrism(
  name: string,
  options: StartPrismOptions = {},
): Promise<RunningMock> {
  const port = options.port ?? (await freePort());
  const child = spawn(
    process.execPath,
    [
      prismBin(),
      "mock",
      "--host",
      "127.0.0.1",
      "--port",
      String(port),
      "--errors",
      "false",
      specPath(name),
    ],
    {
      env: { ...process.env, SCARF_ANALYTICS: "false", NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  await waitUntilListening(child, name, options.startTimeout ?? 60_000);
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    pid: child.pid ?? -1,
    stop: () => stopChild(child),
  };
}

function prismBin(): string {
  const require = createRequire(import.meta.url);
  const pkgPath = require.resolve("@stoplight/prism-cli/package.json");
  const bin = require(pkgPath).bin as string | Record<string, string>;
  return join(
    dirname(pkgPath),
    typeof bin === "string" ? bin : (bin.prism ?? Object.values(bin)[0]!),
  );
}

/** A port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address
          ? resolve(address.port)
          : reject(new Error("no port")),
      );
    });
  });
}

function waitUntilListening(child: ChildProcess, name: string, timeout: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = "";
    const timer = setTimeout(
      () => fail(new Error(`Prism for ${name} did not start within ${timeout} ms:\n${output}`)),
      timeout,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("Prism is listening")) {
        cleanup();
        // Keep draining its output so that the pipe never fills and blocks Prism.
        child.stdout?.resume();
        child.stderr?.resume();
        resolve();
      }
    };
    const onExit = (code: number | null) =>
      fail(new Error(`Prism for ${name} exited (${code}) before listening:\n${output}`));
    const cleanup = () => {
      clearTimeout(timer);
      child.stdout?.off("data", onData);
      child.stderr?.off("data", onData);
      child.off("exit", onExit);
    };
    const fail = (error: Error) => {
      cleanup();
      child.kill("SIGKILL");
      reject(error);
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", onExit);
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill("SIGKILL"), 5_000);
    child.once("exit", () => {
      clearTimeout(force);
      resolve();
    });
    child.kill("SIGTERM");
  });
}
