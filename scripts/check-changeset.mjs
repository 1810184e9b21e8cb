#!/usr/bin/env node
// The changeset check of `pnpm lint`: packages/codegen/src/commands/check-changeset.ts.
import { runCommand } from "./typescript.mjs";

await runCommand("check-changeset");
