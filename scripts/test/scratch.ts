// A scratch repository for the tests that change the checkout: a copy of this checkout's files
// (tracked and untracked-but-not-ignored, as they are in the working tree), committed, so that
// HEAD is the state under test; installed offline from the pnpm store by the caller.
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

export const git = (cwd: string, ...args: string[]) =>
  execFileSync("git", ["-c", "user.name=test", "-c", "user.email=test@example.com", ...args], {
    cwd,
    encoding: "utf8",
  });

/** Copies the checkout into a new temporary directory named after `name`; returns its path. */
export function scratchCopy(name: string): string {
  const scratch = mkdtempSync(join(tmpdir(), `spendkit-${name}-`));
  const files = git(ROOT, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    .split("\0")
    .filter(Boolean);
  for (const file of files) {
    mkdirSync(dirname(join(scratch, file)), { recursive: true });
    try {
      copyFileSync(join(ROOT, file), join(scratch, file));
    } catch (error) {
      // deleted in the working tree, not yet in the index
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
  }
  git(scratch, "init", "-q", "-b", "main");
  git(scratch, "add", "-A");
  git(scratch, "commit", "-qm", "the checkout under test");
  return scratch;
}
