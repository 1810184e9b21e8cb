// The files a new provider package starts with. Written once, when a spec first appears;
// after that they belong to the maintainers (README, tests) and are never overwritten.
import type { Spec } from "../spec/load.js";
import { format } from "./format.js";

export function scaffoldFiles(spec: Spec): Record<string, string> {
  const { name, factory, document } = spec;
  const title = document.info?.title ?? name;
  const packageJson = {
    name: `@spendkit/${name}`,
    version: "0.0.0",
    description: `Typed client for the ${title}, generated from its OpenAPI spec.`,
    license: "MIT",
    repository: {
      type: "git",
      url: "git+https://github.com/spendkit/spendkit.git",
      directory: `packages/${name}`,
    },
    homepage: `https://github.com/spendkit/spendkit/tree/main/packages/${name}#readme`,
    bugs: { url: "https://github.com/spendkit/spendkit/issues" },
    keywords: ["spendkit", name, "billing", "api-client", "openapi", "typescript", "finops"],
    type: "module",
    sideEffects: false,
    engines: { node: ">=20.19" },
    exports: {
      ".": {
        import: { types: "./dist/index.d.ts", default: "./dist/index.js" },
        require: { types: "./dist/index.d.cts", default: "./dist/index.cjs" },
      },
      "./package.json": "./package.json",
    },
    main: "./dist/index.cjs",
    module: "./dist/index.js",
    types: "./dist/index.d.ts",
    files: ["dist", "README.md"],
    scripts: {
      generate: `node ../../scripts/generate.mjs --only ${name}`,
      build: "tsup src/index.ts --format esm,cjs --dts --clean --target es2022 --platform neutral",
      typecheck: "tsc -p tsconfig.json",
      test: "vitest run",
      lint: "publint --strict && attw --pack .",
    },
    dependencies: { "@spendkit/core": "workspace:^" },
    devDependencies: { "@spendkit/mock": "workspace:*" },
    publishConfig: { access: "public", provenance: true },
  };
  return {
    "package.json": `${JSON.stringify(packageJson, null, 2)}\n`,
    // Written as biome writes it, so that a new package passes `pnpm lint` as generated.
    "tsconfig.json": format(
      JSON.stringify(
        {
          extends: "../../tsconfig.base.json",
          compilerOptions: { types: ["node"] },
          include: ["src", "test", "*.ts"],
        },
        null,
        2,
      ),
      `packages/${name}/tsconfig.json`,
    ),
    "vitest.config.ts": `import { defineConfig } from "vitest/config";

export default defineConfig({ test: { globalSetup: ["./test/prism.setup.ts"] } });
`,
    "test/prism.setup.ts": `import { prismGlobalSetup } from "@spendkit/mock/vitest";

export default prismGlobalSetup("${name}");
`,
    "test/contract.test.ts": `import { describeContract } from "@spendkit/mock/vitest";
import { ${factory} } from "../src/index.js";
import { operations } from "../src/operations.js";

// One case per operation of specs/${name}.yaml: call it through the client against the Prism
// mock and assert on the typed result. A missing case fails both typecheck and the test run.
describeContract({
  operations,
  createClient: ${factory},
  cases: {},
});
`,
    "README.md": `# @spendkit/${name}

Typed client for the ${title}, generated from [\`specs/${name}.yaml\`](../../specs/${name}.yaml).

\`\`\`sh
npm install @spendkit/${name}
\`\`\`

\`\`\`ts
import { ${factory} } from "@spendkit/${name}";

const client = ${factory}({ apiKey: process.env.API_KEY! });
\`\`\`

## API reference

Every operation, parameter and response of the ${title}:
[spendkit.github.io/spendkit/api/${name}.html](https://spendkit.github.io/spendkit/api/${name}.html),
built from the same spec as this client. \`pnpm run docs\` in the spendkit repository builds it
locally into \`docs/api/${name}.html\`.
`,
  };
}
