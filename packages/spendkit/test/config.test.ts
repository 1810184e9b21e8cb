import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../src/config.js";

const valid = { provider: "xai", name: "prod", apiKeyEnv: "XAI_PROD_KEY", teamId: "team-1" };
const failure = (json: unknown) => {
  try {
    parseConfig(json, "spendkit.config.json");
  } catch (error) {
    return error as ConfigError;
  }
  throw new Error("the config was accepted");
};

describe("the accounts config", () => {
  it("accepts each provider's fields and reads the adapter's options (xAI's teamId)", () => {
    expect(parseConfig({ accounts: [valid] }, "f")).toEqual([
      { provider: "xai", name: "prod", apiKeyEnv: "XAI_PROD_KEY", options: { teamId: "team-1" } },
    ]);
  });

  it.each([
    [[], "(file)", "must be an object"],
    [{ accounts: [] }, "accounts", "non-empty array"],
    [{ accounts: [valid], extra: 1 }, "extra", "unknown field"],
    [
      { accounts: [{ ...valid, provider: "acme" }] },
      "accounts[0].provider",
      "must be one of anthropic, bytespike, deepseek, openai, openrouter, wavespeed, xai",
    ],
    [
      { accounts: [{ ...valid, provider: "bytespike" }] },
      "accounts[0].teamId",
      "unknown field for bytespike",
    ],
    [
      { accounts: [{ ...valid, apiKey: "xai-secret-value" }] },
      "accounts[0].apiKey",
      "keys are never kept in the config",
    ],
    [{ accounts: [{ ...valid, name: "../etc" }] }, "accounts[0].name", "must be 1-64 letters"],
    [{ accounts: [valid, valid] }, "accounts[1].name", "a second xai account of the same name"],
    [{ accounts: [{ ...valid, baseUrl: "ftp://x" }] }, "accounts[0].baseUrl", "http(s) URL"],
    [
      { accounts: [{ ...valid, requestsPerMinute: -5 }] },
      "accounts[0].requestsPerMinute",
      "positive number",
    ],
    [{ accounts: [{ ...valid, teamId: 7 }] }, "accounts[0].teamId", "non-empty string"],
  ])("rejects %j at %s", (json, field, problem) => {
    const error = failure(json);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.field).toBe(field);
    expect(error.message).toContain(problem);
  });

  it("never repeats a value, nor a field name that could be a key", () => {
    const secret = "xai-abc123-secret";
    for (const json of [
      { accounts: [{ ...valid, apiKeyEnv: secret }] },
      { accounts: [{ ...valid, [secret]: true }] },
      { accounts: [{ ...valid, provider: secret }] },
    ]) {
      expect(failure(json).message).not.toContain(secret);
    }
  });
});
