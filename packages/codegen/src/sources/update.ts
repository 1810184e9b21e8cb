// `--update`: a changed source's new text replaces the vendored copy. Written beside it and
// renamed over it, so that an interrupted run leaves the old copy or the new one, never half.

import { renameSync, rmSync, writeFileSync } from "node:fs";

export function writeAtomically(path: string, text: string): void {
  const scratch = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(scratch, text);
    renameSync(scratch, path);
  } finally {
    rmSync(scratch, { force: true });
  }
}
