import { removePendingTempFiles } from "./atomic.js";

const cleanups = new Set<() => unknown>();
let installed = false;

/**
 * Runs `cleanup` if the process is interrupted (Ctrl-C, SIGTERM), then exits with 128 + signal
 * number; temp files of atomic writes are removed too. Returns the function that unregisters it.
 */
export function onInterrupt(cleanup: () => unknown): () => void {
  install();
  cleanups.add(cleanup);
  return () => cleanups.delete(cleanup);
}

function install(): void {
  if (installed) return;
  installed = true;
  const handle = (signal: NodeJS.Signals, code: number) => {
    process.once(signal, async () => {
      removePendingTempFiles();
      process.stderr.write(`\nspendkit: interrupted (${signal})\n`);
      const pending = [...cleanups].map((cleanup) => Promise.resolve().then(cleanup));
      const timeout = new Promise((resolve) => setTimeout(resolve, 5_000).unref());
      await Promise.race([Promise.allSettled(pending), timeout]);
      process.exit(code);
    });
  };
  handle("SIGINT", 130);
  handle("SIGTERM", 143);
}

/** Installs the handlers even when no cleanup is registered, so temp files are always removed. */
export function installSignalHandlers(): void {
  install();
}
