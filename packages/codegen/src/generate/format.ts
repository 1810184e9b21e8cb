import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { REPO_ROOT } from "../spec/load.js";

/**
 * Formats generated TypeScript the way the rest of the code is (biome, with the repository's
 * settings), so that its diffs read well and `pnpm lint` accepts it.
 */
export function format(content: string, fileName: string): string {
  const biome = join(REPO_ROOT, "node_modules/@biomejs/biome/bin/biome");
  const result = spawnSync(process.execPath, [biome, "format", `--stdin-file-path=${fileName}`], {
    input: content,
    cwd: REPO_ROOT,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`biome could not format ${fileName}:\n${result.stderr}`);
  return result.stdout;
}
