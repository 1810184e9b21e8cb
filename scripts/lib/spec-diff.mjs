// For the tests that import the package graph from here; it lives in the typed tooling.
export { publishablePackages } from "../../packages/codegen/src/spec-diff/packages.ts";
