import { describeContract } from "@spendkit/mock/vitest";
import { createOpenAIClient } from "../src/index.js";
import { operations } from "../src/operations.js";

// One case per operation of specs/openai.yaml: call it through the client against the Prism
// mock and assert on the typed result. A missing case fails both typecheck and the test run.
describeContract({
  operations,
  createClient: createOpenAIClient,
  cases: {},
});
