#!/usr/bin/env node
// `pnpm mock`: packages/codegen/src/commands/mock.ts, run as TypeScript.
import { runCommand } from "./typescript.mjs";

await runCommand("mock");
