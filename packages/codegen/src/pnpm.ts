// How to run pnpm from a command: the way the user ran it. `npx pnpm@10 test` puts no pnpm on
// PATH, but pnpm tells the scripts it runs where it is, in npm_execpath.

/** `[command, args]` that run `pnpm ...args`. */
export function pnpmCommand(args: string[]): [string, string[]] {
  const execPath = process.env.npm_execpath;
  if (execPath && /pnpm/.test(execPath)) {
    return /\.[cm]?js$/.test(execPath) ? [process.execPath, [execPath, ...args]] : [execPath, args];
  }
  return ["pnpm", args];
}
