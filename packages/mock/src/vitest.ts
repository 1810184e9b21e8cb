import type { DriftReport, OperationSpec } from "@spendkit/core";
import { describe, expect, inject, it } from "vitest";
import { startPrism } from "./prism.js";

declare module "vitest" {
  export interface ProvidedContext {
    prismUrl: string;
  }
}

/** A vitest global setup that runs a Prism mock of specs/<name>.yaml for the whole test run. */
export function prismGlobalSetup(name: string) {
  return async ({ provide }: { provide: (key: "prismUrl", value: string) => void }) => {
    const mock = await startPrism(name);
    provide("prismUrl", mock.url);
    return () => mock.stop();
  };
}

/** The base URL of the Prism mock started by `prismGlobalSetup`. */
export function prismUrl(): string {
  return inject("prismUrl");
}

interface ContractClientOptions {
  apiKey: string;
  baseUrl: string;
  fetch: typeof fetch;
  maxRetries: number;
  onDrift: (report: DriftReport) => void;
}

export interface ContractSuite<Id extends string, C> {
  operations: Record<Id, OperationSpec>;
  createClient: (options: ContractClientOptions) => C;
  /** One case per operation; it calls the operation through the client and checks the result. */
  cases: { [K in Id]: (client: C) => Promise<void> };
}

/**
 * One test per operation of a spec, each run through the generated client against the Prism
 * mock. Besides the case's own assertions, every request must pass Prism's validation against
 * the spec (no `sl-violations`): a client that drifts from its spec fails here. Every answer is
 * also checked for drift from its response schema (`onDrift`): Prism answers with the spec's own
 * examples, so a drift report means an example and its schema disagree, or the generated drift
 * schema does. The list of operations comes from the spec, so an operation without a case fails
 * too.
 */
export function describeContract<Id extends string, C>(suite: ContractSuite<Id, C>): void {
  describe("contract against the Prism mock of the spec", () => {
    const violations: string[] = [];
    const drift: DriftReport[] = [];
    const checkedFetch: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      const found = response.headers.get("sl-violations");
      if (found) violations.push(found);
      return response;
    };
    const client = () =>
      suite.createClient({
        apiKey: "sk-contract-test",
        baseUrl: prismUrl(),
        fetch: checkedFetch,
        maxRetries: 0,
        onDrift: (report) => drift.push(report),
      });

    for (const operationId of Object.keys(suite.operations) as Id[]) {
      it(operationId, async () => {
        const run = suite.cases[operationId];
        if (!run)
          throw new Error(`${operationId} has no contract case: add one to the suite's cases`);
        violations.length = 0;
        drift.length = 0;
        await run(client());
        expect(violations, "Prism found requests that break the spec").toEqual([]);
        expect(drift, "answers that drift from their response schema").toEqual([]);
      });
    }
  });
}
