import js from "@eslint/js";
import tseslint from "typescript-eslint";
import reactHooks from "eslint-plugin-react-hooks";
import jsxA11y from "eslint-plugin-jsx-a11y";
import globals from "globals";

export default tseslint.config(
  { ignores: [".tmp-*", ".bench-*", "node_modules/", "build/", ".data/", "test-results/", "playwright-report/", "public/build/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.{ts,tsx,js,mjs}"],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
    },
  },
  {
    files: ["app/**/*.tsx"],
    plugins: { "react-hooks": reactHooks, "jsx-a11y": jsxA11y },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...jsxA11y.configs.recommended.rules,
    },
  },
  {
    files: ["db/migrations/**/*.ts", "db/migrate.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
  // What a route's action decides (the buttons of a page, the values of a form) lives in
  // app/survey/ and app/server/, never in the components: route modules may import components
  // for rendering only, and server modules import none.
  {
    files: ["app/routes/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": "off",
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["~/components/**/intents", "~/components/**/form-values", "**/components/**/intents", "**/components/**/form-values"],
              message: "Form values and page buttons are app/survey/form-values.ts and app/survey/intents.ts; a page's action goes through app/server/responses.",
            },
            {
              group: ["\\#db", "\\#db/**", "**/db/**"],
              allowTypeImports: true,
              message: "Routes never import db/ (the table types excepted): a loader or action calls a server module, which takes `db` from the context.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["app/server/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["~/components/**", "**/components/**"],
              message: "Server modules import no React components.",
            },
          ],
        },
      ],
    },
  },
  // The walls of /work/shared/DESIGN.md (the house): components import no server code;
  // app/survey (the survey domain, shared by browser and server) imports no server, database or
  // React code.
  {
    files: ["app/components/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": "off",
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["*.server", "*.server.*"],
              message: "Components never import *.server modules: view types live beside their server module in a plain file (e.g. ~/server/dashboards/views).",
            },
            {
              group: ["\\#db", "\\#db/**", "**/db/**"],
              allowTypeImports: true,
              message: "Components never import db/ code (its table types excepted).",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["app/survey/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["~/server/**", "**/server/**", "*.server", "*.server.*", "\\#db", "\\#db/**", "**/db/**", "kysely", "pg"],
              message: "app/survey is the pure survey domain: it imports no server or database code.",
            },
            {
              group: ["react", "react-dom", "react-dom/*", "@remix-run/*", "~/components/**", "**/components/**"],
              message: "app/survey is shared by browser and server without React: renderers live in app/components.",
            },
          ],
        },
      ],
    },
  },
);
