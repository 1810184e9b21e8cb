// For the tests that import the helper from here; it lives in the typed tooling.
export { pnpmCommand } from "../../packages/codegen/src/pnpm.ts";
