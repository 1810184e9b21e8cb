// Packages the way users get them: `pnpm pack` (which rewrites workspace: ranges to the versions
// being published) and a plain `npm install` of the tarballs into a fresh project outside the
// workspace. Shared by the consumer test and the runtimes test.
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { pnpmCommand } from "../../packages/codegen/src/pnpm.js";

const exec = promisify(execFile);
const ROOT = new URL("../../", import.meta.url).pathname;

/** npm without the npm_config_* settings pnpm passes to scripts (they are pnpm's, not npm's). */
export function npmEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^npm_(config|package|lifecycle)_/i.test(key)),
  );
}

/** `pnpm pack`s each package folder into `destination`, side by side; resolves with the tarballs. */
export function packTarballs(dirs: string[], destination: string): Promise<string[]> {
  mkdirSync(destination, { recursive: true });
  return Promise.all(
    dirs.map(async (dir) => {
      const where = dir.slice(ROOT.length);
      const [command, args] = pnpmCommand(["pack", "--pack-destination", destination]);
      const { stdout } = await exec(command, args, { cwd: dir }).catch((error) => {
        throw new Error(`pnpm pack failed in ${where}:\n${error.stdout}${error.stderr}`);
      });
      const tarball = stdout.trim().split("\n").at(-1)!.trim();
      if (!tarball.endsWith(".tgz")) throw new Error(`pnpm pack printed no tarball:\n${stdout}`);
      return tarball;
    }),
  );
}

/** `npm install`s the tarballs into `project` (which has its package.json). */
export async function npmInstall(project: string, tarballs: string[]): Promise<void> {
  await exec(
    "npm",
    ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error", ...tarballs],
    { cwd: project, env: npmEnv(), maxBuffer: 16 << 20 },
  );
}

/** Packs the built workspace packages `packages/<folder>` and installs them in a new ESM `project`. */
export async function installPacked(folders: string[], project: string): Promise<void> {
  const dirs = folders.map((folder) => join(ROOT, "packages", folder));
  for (const dir of dirs) {
    const { main } = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
    if (!existsSync(join(dir, main))) {
      throw new Error(
        `${dir.slice(ROOT.length)} is not built: run \`pnpm build\` first (\`pnpm test\` does)`,
      );
    }
  }
  const tarballs = await packTarballs(dirs, join(project, "..", "tarballs"));
  mkdirSync(project, { recursive: true });
  writeFileSync(
    join(project, "package.json"),
    `${JSON.stringify({ name: "spendkit-runtimes", private: true, type: "module", version: "0.0.0" }, null, 2)}\n`,
  );
  await npmInstall(project, tarballs);
}
