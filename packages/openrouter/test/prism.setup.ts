import { prismGlobalSetup } from "@spendkit/mock/vitest";

export default prismGlobalSetup("openrouter");
