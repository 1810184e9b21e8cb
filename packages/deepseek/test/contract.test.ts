import { describeContract, prismUrl } from "@spendkit/mock/vitest";
import { describe, expect, it } from "vitest";
import { createDeepSeekClient } from "../src/index.js";
import { operations } from "../src/operations.js";

// One case per operation of specs/deepseek.yaml, run through the client against the Prism mock
// (bearer API key; the mock answers the spec's first example, an account in USD and CNY).
describeContract({
  operations,
  createClient: createDeepSeekClient,
  cases: {
    async getBalance(client) {
      const balance = await client.getBalance();
      expect(balance.is_available).toBe(true);
      // One entry per currency, the amounts strings of the currency's unit, never summed.
      expect(balance.balance_infos).toEqual([
        {
          currency: "USD",
          total_balance: "12.40",
          granted_balance: "0.00",
          topped_up_balance: "12.40",
        },
        {
          currency: "CNY",
          total_balance: "5.00",
          granted_balance: "5.00",
          topped_up_balance: "0.00",
        },
      ]);
    },
  },
});

describe("the mock enforces the spec, so the contract tests can fail", () => {
  it("rejects a request without the API key", async () => {
    const response = await fetch(`${prismUrl()}/user/balance`);
    expect(response.status).toBe(401);
  });

  it("answers the same request with the key", async () => {
    const response = await fetch(`${prismUrl()}/user/balance`, {
      headers: { authorization: "Bearer sk-contract" },
    });
    expect(response.status).toBe(200);
  });
});
