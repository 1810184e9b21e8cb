#!/usr/bin/env node
// `pnpm sources:check`: packages/codegen/src/commands/sources-check.ts, run as TypeScript.
import { runCommand } from "./typescript.mjs";

await runCommand("sources-check");
