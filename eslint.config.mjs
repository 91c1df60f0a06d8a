// One flat config for the whole repository (controls, web resources and server extend nothing else).
import js from "@eslint/js";
import react from "eslint-plugin-react";
import reactHooks from "eslint-plugin-react-hooks";
import simpleImportSort from "eslint-plugin-simple-import-sort";
import globals from "globals";
import tseslint from "typescript-eslint";

// A folder with an index.ts is entered through it; the files behind it are its own business. Every
// no-restricted-imports below adds these (a later block's rule replaces an earlier one's for its files).
const FOLDER_ENTRY = [
  {
    regex: "/(dataverse/(local|client|model)|core/insights|preview|functions)/(?!index$)[^/]+$",
    message: "import the folder (its index.ts), not a file behind it.",
  },
  { regex: "(^|/)model/src(/|$)", message: "import @rapport/model, not its sources." },
];

export default tseslint.config(
  {
    ignores: [
      "**/node_modules/**",
      "**/dist/**",
      "**/generated/**",
      "**/out/**",
      "coverage/**",
      "webresources/*/*.js",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    // Imports in one order everywhere (packages, then the repo's own, then relative; sorted within each group), so a
    // reader finds a dependency at a glance and merges do not fight over where a new import goes. `--fix` applies it.
    plugins: { "simple-import-sort": simpleImportSort },
    rules: {
      "simple-import-sort/imports": "error",
      "simple-import-sort/exports": "error",
      "no-empty": ["error", { allowEmptyCatch: false }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      eqeqeq: ["error", "smart"],
    },
  },
  {
    // Guard rails for product code (not tests): small functions with few branches and parameters. The functions
    // that were larger when these rules came in carry an eslint-disable-next-line naming why, in place; new code
    // gets the error.
    files: [
      "server/src/**/*.ts",
      "server/preview/src/**/*.{ts,tsx}",
      "model/src/**/*.ts",
      "solution/src/**/*.ts",
      "controls/**/*.{ts,tsx}",
      "webresources/**/*.{ts,tsx}",
    ],
    ignores: ["**/__tests__/**", "**/*.test.{ts,tsx}", "controls/testing/**"],
    rules: {
      complexity: ["error", 15],
      "max-lines-per-function": ["error", { max: 80, skipBlankLines: true, skipComments: true }],
      "max-params": ["error", 5],
      "no-restricted-imports": [
        "error",
        {
          patterns: FOLDER_ENTRY,
        },
      ],
    },
  },
  {
    // The core is pure: no I/O, no clock, no adapters. The direction of dependencies is enforced here.
    files: ["server/src/core/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: [
                "node:*",
                "fs",
                "path",
                "zlib",
                "http",
                "https",
                "net",
                "child_process",
                "worker_threads",
              ],
              message: "core/ is pure: no Node I/O modules.",
            },
            {
              group: ["**/sources/**", "**/app/**", "**/cli/**", "**/dataverse/**", "**/functions/**"],
              message: "core/ must not depend on adapters or hosts.",
            },
            ...FOLDER_ENTRY,
          ],
        },
      ],
      "no-restricted-properties": [
        "error",
        { object: "Date", property: "now", message: "core/ takes `now` as a parameter." },
      ],
      "no-restricted-syntax": [
        "error",
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: "core/ takes `now` as a parameter.",
        },
      ],
    },
  },
  {
    // @rapport/model is imported by browser bundles: pure TypeScript, no Node modules, no server code.
    files: ["model/src/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["node:*", "fs", "path", "crypto"], message: "model/ is pure: no Node modules." },
            { group: ["**/server/**", "**/controls/**"], message: "model/ depends on nothing in the repo." },
          ],
        },
      ],
    },
  },
  {
    files: ["server/src/sources/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["**/app/**", "**/cli/**"],
              message: "sources/ are adapters: they must not depend on use cases or hosts.",
            },
            ...FOLDER_ENTRY,
          ],
        },
      ],
    },
  },
  {
    files: ["server/src/dataverse/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["**/app/**", "**/cli/**"],
              message: "dataverse/ is an adapter: it must not depend on use cases or hosts.",
            },
            ...FOLDER_ENTRY,
          ],
        },
      ],
    },
  },
  {
    // The Dataverse client is a generic Web API client: it knows nothing of Rapport's tables, model or logic, so
    // it could be lifted out as it is. Tables it must know (FetchXML entity sets, id columns) it is given.
    files: ["server/src/dataverse/client/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["@rapport/model", "**/model", "**/model/**", "**/core/**", "**/app/**", "**/cli/**"],
              message:
                "the Dataverse client is generic: it must not know Rapport's model, core or use cases.",
            },
            ...FOLDER_ENTRY,
          ],
        },
      ],
      "no-restricted-syntax": [
        "error",
        {
          selector: "Literal[value=/^rp_/], TemplateElement[value.raw=/^rp_/]",
          message: "the Dataverse client is generic: no Rapport table or column names (rp_...) in it.",
        },
      ],
    },
  },
  {
    // PCF controls and web resource pages: browser code, React 16 with hooks, rendered by React only.
    files: [
      "controls/**/*.ts",
      "controls/**/*.tsx",
      "webresources/**/*.ts",
      "webresources/**/*.tsx",
      "server/preview/**/*.ts",
      "server/preview/**/*.tsx",
    ],
    ...react.configs.flat.recommended,
    plugins: { react, "react-hooks": reactHooks },
    languageOptions: {
      ...react.configs.flat.recommended.languageOptions,
      globals: { ...globals.browser, ComponentFramework: "readonly" },
    },
    settings: { react: { version: "16.14" } },
    rules: {
      ...react.configs.flat.recommended.rules,
      "react/prop-types": "off",
      "react/no-danger": "error",
      "react-hooks/rules-of-hooks": "error",
      "react-hooks/exhaustive-deps": "error",
      "no-restricted-properties": [
        "error",
        { property: "innerHTML", message: "Render with React; never innerHTML." },
        { property: "outerHTML", message: "Render with React; never outerHTML." },
      ],
    },
  },
  {
    // Static styles live in makeStyles files (*.styles.ts) with Fluent tokens, so themes and the host's
    // tokens apply and React compares no new object each render. An inline `style={{ ... }}` whose values are
    // all literals or tokens is an error; one with a value computed per datum (a bar's length, a column's
    // width from the view) passes, and says so in a comment beside it. React.CSSProperties constants are the
    // same thing one step removed.
    files: ["controls/**/*.tsx", "webresources/**/*.tsx", "server/preview/src/**/*.tsx"],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector:
            "JSXAttribute[name.name='style'] > JSXExpressionContainer > ObjectExpression:not(:has(Property[value.type!='Literal'][value.object.name!='tokens']))",
          message:
            "Static styles go in a makeStyles (*.styles.ts) class; inline style is for values computed per datum.",
        },
        {
          selector: "TSQualifiedName[left.name='React'][right.name='CSSProperties']",
          message:
            "Static styles go in a makeStyles (*.styles.ts) class, not a React.CSSProperties constant.",
        },
      ],
    },
  },
  {
    files: ["controls/**/__tests__/**", "controls/**/*.test.tsx", "controls/**/*.test.ts"],
    languageOptions: { globals: { ...globals.browser, ...globals.jest, ...globals.node } },
  },
  {
    // The e2e harness page runs in the browser.
    files: ["tests/e2e/harness/**/*.js", "server/preview/*.js"],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ["**/*.js", "**/*.mjs", "**/*.cjs"],
    ...tseslint.configs.disableTypeChecked,
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);
