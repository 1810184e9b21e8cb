#!/usr/bin/env node
// `pnpm spec-diff`: packages/codegen/src/commands/spec-diff.ts, run as TypeScript.
import { runCommand } from "./typescript.mjs";

await runCommand("spec-diff");
