/**
 * Unit, integration and e2e tests; @swc/jest transpiles only, `npm run typecheck` checks types.
 * Two projects: the server and e2e suites on node, the PCF controls' and the web resources' suites on jsdom.
 */
const swc = (tsx) => [
  "@swc/jest",
  {
    jsc: {
      parser: { syntax: "typescript", tsx },
      transform: tsx ? { react: { runtime: "classic" } } : undefined,
      target: "es2022",
    },
    module: { type: "commonjs" },
  },
];

/** Tests import the model package from its TypeScript source (the build is for Node and the bundlers). */
const moduleNameMapper = { "^@rapport/model$": "<rootDir>/model/src/index.ts" };

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    {
      displayName: "server",
      testEnvironment: "node",
      roots: ["<rootDir>/tests"],
      testMatch: ["**/*.test.ts"],
      testPathIgnorePatterns: ["/node_modules/", "/dist/"],
      moduleNameMapper,
      transform: { "^.+\\.(t|j)sx?$": swc(false) },
    },
    {
      displayName: "controls",
      testEnvironment: "jsdom",
      roots: ["<rootDir>/controls", "<rootDir>/webresources"],
      testMatch: ["**/*.test.ts", "**/*.test.tsx"],
      testPathIgnorePatterns: ["/node_modules/", "/out/"],
      setupFilesAfterEnv: ["<rootDir>/controls/testing/setup.ts"],
      moduleNameMapper,
      transform: { "^.+\\.(t|j)sx?$": swc(true) },
    },
  ],
  testTimeout: 60000,
  reporters: ["default", "<rootDir>/tests/summaryReporter.js"],
};
