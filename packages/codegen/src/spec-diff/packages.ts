// The workspace's package graph, as far as releasing a spec change needs it.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

interface PackageJson {
  name: string;
  private?: boolean;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

/** Publishable packages of a checkout, by name. */
export function publishablePackages(root: string): Map<string, { dir: string; json: PackageJson }> {
  const dir = join(root, "packages");
  const out = new Map<string, { dir: string; json: PackageJson }>();
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir).sort()) {
    const file = join(dir, name, "package.json");
    if (!existsSync(file)) continue;
    const json: PackageJson = JSON.parse(readFileSync(file, "utf8"));
    if (!json.private) out.set(json.name, { dir: join(dir, name), json });
  }
  return out;
}

/**
 * The packages a spec change releases: the provider's own package, and every publishable
 * package that depends on it (the aggregate re-exports each provider's factory and client type,
 * so a change to a client's API is a change to its API, at the same level).
 */
export function affectedPackages(root: string, specName: string): string[] {
  const packages = publishablePackages(root);
  const own =
    [...packages.entries()].find(([, p]) => p.dir === join(root, "packages", specName))?.[0] ??
    `@spendkit/${specName}`;
  const dependents = [...packages.entries()]
    .filter(([name, p]) => {
      if (name === own) return false;
      const deps = { ...p.json.dependencies, ...p.json.peerDependencies };
      return own in deps;
    })
    .map(([name]) => name);
  return [own, ...dependents];
}
