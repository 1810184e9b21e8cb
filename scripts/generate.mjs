#!/usr/bin/env node
// `pnpm generate`: packages/codegen/src/commands/generate.ts, run as TypeScript.
import { runCommand } from "./typescript.mjs";

await runCommand("generate");
