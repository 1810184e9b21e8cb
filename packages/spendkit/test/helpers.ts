import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

export { csvObjects } from "@spendkit/mock";

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
