import { removePendingTempFiles } from "./atomic.js";

const cleanups = new Set<() => unknown>();
let installed = false;
/** Set by a long-running service: a signal is how it is asked to stop, not a failure. */
let shutdown: { timeoutMs: number } | undefined;

/**
 * Runs `cleanup` if the process is interrupted (Ctrl-C, SIGTERM), then exits with 128 + signal
 * number; temp files of atomic writes are removed too. Returns the function that unregisters it.
 */
export function onInterrupt(cleanup: () => unknown): () => void {
  install();
  cleanups.add(cleanup);
  return () => cleanups.delete(cleanup);
}

/**
 * For `spendkit serve`: a signal stops the process gracefully. `cleanup` (stop taking requests,
 * let a running sync commit its batch, close the store) gets up to `timeoutMs`, and the process
 * then exits 0 — a stop that was asked for.
 */
export function onShutdown(cleanup: () => unknown, timeoutMs: number): () => void {
  shutdown = { timeoutMs };
  const unregister = onInterrupt(cleanup);
  return () => {
    shutdown = undefined;
    unregister();
  };
}

function install(): void {
  if (installed) return;
  installed = true;
  const handle = (signal: NodeJS.Signals, code: number) => {
    process.once(signal, async () => {
      removePendingTempFiles();
      const graceful = shutdown;
      if (!graceful) process.stderr.write(`\nspendkit: interrupted (${signal})\n`);
      const pending = [...cleanups].map((cleanup) => Promise.resolve().then(cleanup));
      const wait = graceful?.timeoutMs ?? 5_000;
      const timeout = new Promise((resolve) => setTimeout(resolve, wait).unref());
      const finished = await Promise.race([
        Promise.allSettled(pending).then(() => true),
        timeout.then(() => false),
      ]);
      process.exit(graceful && finished ? 0 : code);
    });
  };
  handle("SIGINT", 130);
  handle("SIGTERM", 143);
}

/** Installs the handlers even when no cleanup is registered, so temp files are always removed. */
export function installSignalHandlers(): void {
  install();
}
