// Lint: the import direction between the top-level folders (docs/architecture.md) and a few
// correctness rules. Formatting is prettier's job (`.prettierrc.json`), not the linter's.
import { fileURLToPath } from "node:url";
import tseslint from "typescript-eslint";
import reactHooks from "eslint-plugin-react-hooks";
import i18next from "eslint-plugin-i18next";
import importX, { createNodeResolver } from "eslint-plugin-import-x";

const APP = ["**/app/**", "~/*"];

/**
 * Every page and component takes its text from the catalogs (server/i18n/catalogs): literal text
 * in JSX, or in an attribute a user reads, fails the lint, so new UI is held to it automatically.
 */
const TRANSLATED = ["app/**/*.tsx"];

/** A no-restricted-imports rule refusing imports whose path matches `group`. */
function refuse(group, message) {
  return ["error", { patterns: [{ group, message }] }];
}

export default tseslint.config(
  {
    ignores: [
      "node_modules/**",
      "build/**",
      "dist/**",
      "public/build/**",
      ".cache/**",
      ".local/**",
      "data/**",
      "e2e/screenshots/**",
      "native/build/**",
    ],
  },
  {
    files: ["**/*.{ts,tsx,js,cjs,mjs}"],
    languageOptions: {
      parser: tseslint.parser,
      ecmaVersion: 2023,
      sourceType: "module",
      parserOptions: { ecmaFeatures: { jsx: true } },
    },
    plugins: { "@typescript-eslint": tseslint.plugin, "react-hooks": reactHooks },
    rules: {
      "react-hooks/rules-of-hooks": "error",
      "react-hooks/exhaustive-deps": "warn",
      "no-debugger": "error",
      "no-dupe-keys": "error",
      "no-self-compare": "error",
      "no-unreachable": "error",
      "no-constant-binary-expression": "error",
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none", ignoreRestSiblings: true },
      ],
    },
  },
  // No import cycles anywhere (type-only imports are erased and do not count). Relative imports
  // name the .js a .ts file compiles to, and app/ uses the ~/ alias of tsconfig.json.
  {
    files: ["**/*.{ts,tsx}"],
    plugins: { "import-x": importX },
    settings: {
      "import-x/extensions": [".ts", ".tsx", ".js", ".mjs"],
      "import-x/parsers": { "@typescript-eslint/parser": [".ts", ".tsx"] },
      "import-x/resolver-next": [
        createNodeResolver({
          extensions: [".ts", ".tsx", ".js", ".mjs", ".json", ".node"],
          extensionAlias: { ".js": [".ts", ".tsx", ".js"] },
          tsconfig: { configFile: fileURLToPath(new URL("./tsconfig.json", import.meta.url)) },
        }),
      ],
    },
    rules: { "import-x/no-cycle": ["error", { ignoreExternal: true }] },
  },
  {
    files: TRANSLATED,
    plugins: { i18next },
    rules: {
      "i18next/no-literal-string": [
        "error",
        {
          mode: "jsx-only",
          "jsx-attributes": {
            include: [
              "label",
              "title",
              "placeholder",
              "description",
              "aria-label",
              "alt",
              "confirmLabel",
              "message",
              "error",
            ],
          },
          // Calls whose string arguments are names, not text.
          callees: {
            exclude: [
              "i18n(ext)?",
              "t",
              "tr",
              "num",
              "fmtMetric",
              "getInputProps",
              "key",
              "insertListItem",
              "removeListItem",
              "setFieldValue",
              "toFixed",
              "toUpperCase",
              "join",
              "split",
              "replace",
              "startsWith",
              "endsWith",
              "includes",
              "get",
              "set",
              "has",
              "useState",
              "String",
              "Number",
              "URLSearchParams",
              "encodeURIComponent",
              "navigate",
            ],
          },
          message: "user-visible text belongs in the catalogs (server/i18n/catalogs): use t(…)",
        },
      ],
    },
  },
  // The server side never imports the web app.
  {
    files: ["server/**", "jobs/**", "native/**", "seeds/**"],
    rules: {
      "no-restricted-imports": refuse(
        APP,
        "the server side never imports app/ (move shared pure code to the server side)",
      ),
    },
  },
  // db/ is the bottom layer: nothing from the layers above, not even types (a column's shape
  // defined above reaches db/ through db/models/column-types.ts), no web app.
  {
    files: ["db/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: APP, message: "db/ never imports app/" },
            {
              // jobs/states.ts is the job-state vocabulary: pure, importing nothing.
              group: ["**/server/**", "**/jobs/**", "!**/jobs/states*", "**/seeds/**", "**/native/**"],
              message:
                "db/ is the bottom layer and imports nothing from server/, jobs/ (but its states), seeds/ or native/ (name a column's shape in db/models/column-types.ts)",
            },
          ],
        },
      ],
    },
  },
  // The browser bundle never pulls in database, queue or addon code.
  {
    files: ["app/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: [
                "**/db/**",
                "**/native/**",
                "**/jobs/queue*",
                "**/jobs/worker*",
                "**/jobs/handlers/**",
                "**/server/storage/**",
                "**/server/env*",
                "**/server/trpc/context*",
              ],
              allowTypeImports: true,
              message:
                "app/ may import pure modules of the server side, and types; database, queue, storage and addon code stays on the server",
            },
          ],
        },
      ],
    },
  },
);
