// Specs as git has them: the base a working tree is compared with.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";

/** The text of specs/<name>.yaml at a git revision; undefined when it is not there. */
export function specAtRevision(root: string, revision: string, name: string): string | undefined {
  const result = spawnSync("git", ["show", `${revision}:specs/${name}.yaml`], {
    cwd: root,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status === 0) return result.stdout;
  const verify = spawnSync("git", ["rev-parse", "--verify", "--quiet", `${revision}^{commit}`], {
    cwd: root,
    encoding: "utf8",
  });
  if (verify.status !== 0) {
    throw new Error(`spec-diff: "${revision}" is not a git revision of ${root}`);
  }
  return undefined;
}

/** Names of the specs in the working tree, and in a git revision when one is given. */
export function specNames(root: string, revision?: string): string[] {
  const names = new Set<string>();
  const dir = join(root, "specs");
  if (existsSync(dir)) {
    for (const file of readdirSync(dir)) if (file.endsWith(".yaml")) names.add(file.slice(0, -5));
  }
  if (revision) {
    const result = spawnSync("git", ["ls-tree", "--name-only", revision, "specs/"], {
      cwd: root,
      encoding: "utf8",
    });
    for (const line of result.stdout?.split("\n") ?? []) {
      const match = /^specs\/([^/]+)\.yaml$/.exec(line);
      if (match?.[1]) names.add(match[1]);
    }
  }
  return [...names].sort();
}
