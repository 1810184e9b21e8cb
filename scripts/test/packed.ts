// Packages the way users get them: `pnpm pack` (which rewrites workspace: ranges to versions)
// and a plain `npm install` of the tarballs into a fresh project outside the workspace.
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { pnpmCommand } from "../lib/pnpm.mjs";

const exec = promisify(execFile);
const ROOT = new URL("../../", import.meta.url).pathname;

/** npm without the npm_config_* settings pnpm passes to scripts (they are pnpm's, not npm's). */
function npmEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^npm_(config|package|lifecycle)_/i.test(key)),
  );
}

/** Packs each workspace package (`packages/<folder>`) and installs the tarballs in `project`. */
export async function installPacked(folders: string[], project: string): Promise<void> {
  const tarballs = join(project, "..", "tarballs");
  mkdirSync(tarballs, { recursive: true });
  mkdirSync(project, { recursive: true });
  const files = await Promise.all(
    folders.map(async (folder) => {
      const dir = join(ROOT, "packages", folder);
      const { main } = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
      if (!existsSync(join(dir, main))) {
        throw new Error(
          `packages/${folder} is not built: run \`pnpm build\` first (\`pnpm test\` does)`,
        );
      }
      const [command, args] = pnpmCommand(["pack", "--pack-destination", tarballs]);
      const { stdout } = await exec(command, args, { cwd: dir }).catch((error) => {
        throw new Error(`pnpm pack failed in packages/${folder}:\n${error.stdout}${error.stderr}`);
      });
      const tarball = stdout.trim().split("\n").at(-1)!.trim();
      if (!tarball.endsWith(".tgz")) throw new Error(`pnpm pack printed no tarball:\n${stdout}`);
      return tarball;
    }),
  );
  writeFileSync(
    join(project, "package.json"),
    `${JSON.stringify({ name: "spendkit-runtimes", private: true, type: "module", version: "0.0.0" }, null, 2)}\n`,
  );
  await exec(
    "npm",
    ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error", ...files],
    { cwd: project, env: npmEnv(), maxBuffer: 16 << 20 },
  );
}
