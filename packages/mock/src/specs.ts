import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The absolute path of specs/<name>.yaml. Looked up from this module upwards, so it works from
 * the sources, the build output and any package of the workspace; SPENDKIT_SPECS_DIR overrides.
 */
export function specPath(name: string): string {
  const fromEnv = process.env.SPENDKIT_SPECS_DIR;
  if (fromEnv) return join(fromEnv, `${name}.yaml`);
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, "specs", `${name}.yaml`);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) {
      throw new Error(
        `specs/${name}.yaml not found above ${fileURLToPath(import.meta.url)}; set SPENDKIT_SPECS_DIR`,
      );
    }
    dir = parent;
  }
}
