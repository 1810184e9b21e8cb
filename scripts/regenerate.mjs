#!/usr/bin/env node
// `pnpm regenerate`: packages/codegen/src/commands/regenerate.ts, run as TypeScript.
import { runCommand } from "./typescript.mjs";

await runCommand("regenerate");
