import { describeContract } from "@spendkit/mock/vitest";
import { createAnthropicClient } from "../src/index.js";
import { operations } from "../src/operations.js";

// One case per operation of specs/anthropic.yaml: call it through the client against the Prism
// mock and assert on the typed result. A missing case fails both typecheck and the test run.
describeContract({
  operations,
  createClient: createAnthropicClient,
  cases: {},
});
