#!/usr/bin/env node
// `pnpm docs`: packages/codegen/src/commands/docs.ts, run as TypeScript.
import { runCommand } from "./typescript.mjs";

await runCommand("docs");
