// Node 20 runs no TypeScript by itself. tsx compiles the typed spec tooling (packages/codegen)
// as it is imported, so every command runs the source as it is: there is no build to forget.
import { register } from "tsx/esm/api";

register();

/** Runs packages/codegen/src/commands/<name>.ts with this process's arguments. */
export const runCommand = (name) => import(`../packages/codegen/src/commands/${name}.ts`);
