// ESLint 9 flat config for the whole monorepo: `npx eslint .` from the root lints everything.
//
// Rules are deliberately the fast, syntax-only typescript-eslint set (no type information), plus the
// two rules that keep the architecture honest: @nx/enforce-module-boundaries (ARCHITECTURE.md,
// "Libraries"; STYLE.md §1) and a ban on the Prisma client outside libs/db.
import js from "@eslint/js";
import nx from "@nx/eslint-plugin";
import { createProjectGraphAsync } from "@nx/devkit";
import prettier from "eslint-config-prettier";
import tseslint from "typescript-eslint";

// enforce-module-boundaries reads Nx's *cached* project graph and silently skips itself (one yellow
// "No cached ProjectGraph" line) when there is none — which is the case on a fresh checkout, because
// .nx/ is git-ignored. Computing the graph here (in-process, ~1 s, NX_DAEMON=false) writes that cache
// and picks up projects added since the last nx command, so the rule can never quietly pass.
await createProjectGraphAsync({ exitOnError: false });

const TS = ["**/*.{ts,tsx,mts,cts}"];
const JS = ["**/*.{js,mjs,cjs}"];
const TESTS = ["**/*.test.{ts,tsx}", "**/*.int.test.ts", "**/*.spec.{ts,tsx}", "**/testing/**", "**/__tests__/**"];

// ---------------------------------------------------------------------------------------------------
// Module boundaries. Every project carries three tags (see each package.json's `nx.tags`):
//   type:*     the dependency arrows: app → feature → domain → data-access → contracts/util; ui beside them
//   scope:*    which product area may use it
//   runtime:*  node | browser | shared — browser/shared code must never pull in a Node-only lib (Prisma…)
// A project whose tags match no constraint may depend on nothing (the rule's own default), so an
// untagged project fails loudly instead of escaping the rules. Nothing lists type:app as a target,
// so no project can import an app.
// ---------------------------------------------------------------------------------------------------

/** type:X → the types X may import. */
const TYPE_RULES = {
  app: ["feature", "ui", "domain", "data-access", "util", "contracts"],
  feature: ["feature", "ui", "data-access", "util", "contracts"],
  ui: ["ui", "util", "contracts"],
  domain: ["domain", "data-access", "util", "contracts"],
  "data-access": ["data-access", "util", "contracts"],
  util: ["util", "contracts"],
  contracts: ["contracts"],
  testing: ["feature", "ui", "domain", "data-access", "util", "contracts", "testing"],
  // Browser tests start the apps as processes and talk HTTP; they may use libs to arrange data.
  e2e: ["feature", "ui", "domain", "data-access", "util", "contracts", "testing"],
};

/** scope:X → the scopes X may import. */
const SCOPE_RULES = {
  web: ["web", "shared"],
  collab: ["collab", "shared"],
  ai: ["ai", "shared"],
  worker: ["worker", "shared"],
  shared: ["shared"],
};

/**
 * @param {{ allowTesting: boolean }} options allowTesting: test files (and `testing` entry points) may
 *   also import type:testing libs — factories, fixtures, conformance suites — which production code may not.
 */
function depConstraints({ allowTesting }) {
  const typeConstraints = Object.entries(TYPE_RULES).map(([type, allowed]) => ({
    sourceTag: `type:${type}`,
    onlyDependOnLibsWithTags: [...new Set([...allowed, ...(allowTesting ? ["testing"] : [])])].map((t) => `type:${t}`),
  }));
  const scopeConstraints = Object.entries(SCOPE_RULES).map(([scope, allowed]) => ({
    sourceTag: `scope:${scope}`,
    onlyDependOnLibsWithTags: allowed.map((s) => `scope:${s}`),
  }));
  const runtimeConstraints = [
    { sourceTag: "runtime:browser", notDependOnLibsWithTags: ["runtime:node"] },
    { sourceTag: "runtime:shared", notDependOnLibsWithTags: ["runtime:node"] },
  ];
  return [...typeConstraints, ...scopeConstraints, ...runtimeConstraints];
}

const moduleBoundaries = (allowTesting) => [
  "error",
  {
    enforceBuildableLibDependency: false,
    allow: [],
    depConstraints: depConstraints({ allowTesting }),
    // testing ↔ X cycles can only run through X's *test files* (production code may not import a
    // type:testing lib, see above): domain tests use the factories, the factories use the domain.
    // That cycle is by design; every other cycle is still an error.
    ignoredCircularDependencies: [["tag:type:testing", "*"]],
  },
];

// ---------------------------------------------------------------------------------------------------
// Prisma stays inside libs/db: everyone else goes through withTenant/withSystem and repositories
// (STYLE.md §2, §9). Type-only imports are banned too — Prisma types never leave data-access.
// ---------------------------------------------------------------------------------------------------
const prismaBan = [
  "error",
  {
    patterns: [
      {
        regex: "^@prisma/client(/.*)?$",
        message: "Only libs/db may use the Prisma client. Import from @devflow/db (withTenant/withSystem) instead.",
      },
      {
        regex: "(^|/)generated/prisma(/.*)?$",
        message: "The generated Prisma client is private to libs/db. Import from @devflow/db instead.",
      },
    ],
  },
];

export default tseslint.config(
  {
    ignores: [
      "**/node_modules/**",
      "**/generated/**",
      "**/.next/**",
      "**/dist/**",
      "**/.data/**",
      "**/.nx/**",
      "**/coverage/**",
      "**/test-results/**",
      "**/playwright-report/**",
      "**/next-env.d.ts",
      "terraform/**",
    ],
  },
  {
    linterOptions: { reportUnusedDisableDirectives: "error" },
  },

  // Plain JS (scripts/, root config files, the odd .mjs tool): same baseline, Node globals.
  {
    files: JS,
    extends: [js.configs.recommended],
    languageOptions: {
      ecmaVersion: "latest",
      sourceType: "module",
      globals: nodeGlobals(),
    },
  },
  {
    files: ["**/*.cjs"],
    languageOptions: { sourceType: "commonjs" },
  },

  // TypeScript everywhere (apps, libs, e2e, infra, prisma, root configs).
  {
    files: TS,
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    rules: {
      // `_`-prefixed names are the conventional "deliberately unused" marker (destructuring, callbacks).
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_", ignoreRestSiblings: true },
      ],
      // STYLE.md §7: every suppression carries its reason.
      "@typescript-eslint/ban-ts-comment": [
        "error",
        {
          "ts-expect-error": "allow-with-description",
          "ts-ignore": "allow-with-description",
          minimumDescriptionLength: 5,
        },
      ],
    },
  },

  // Architecture rules, for every project's source.
  {
    files: [...TS, ...JS],
    plugins: { "@nx": nx },
    rules: {
      "@nx/enforce-module-boundaries": moduleBoundaries(false),
      "no-restricted-imports": prismaBan,
    },
  },
  {
    files: TESTS,
    rules: {
      "@nx/enforce-module-boundaries": moduleBoundaries(true),
    },
  },
  {
    files: ["libs/db/**"],
    rules: {
      "no-restricted-imports": "off",
    },
  },

  // Formatting belongs to Prettier; switch off every stylistic rule that could disagree with it.
  prettier,
);

/** Node's globals for plain JS files (TS files get them from @types/node and the compiler). */
function nodeGlobals() {
  const names = [
    "AbortController",
    "AbortSignal",
    "Blob",
    "Buffer",
    "URL",
    "URLSearchParams",
    "TextDecoder",
    "TextEncoder",
    "clearImmediate",
    "clearInterval",
    "clearTimeout",
    "console",
    "crypto",
    "fetch",
    "global",
    "globalThis",
    "performance",
    "process",
    "queueMicrotask",
    "setImmediate",
    "setInterval",
    "setTimeout",
    "structuredClone",
    "__dirname",
    "__filename",
    "require",
    "module",
    "exports",
  ];
  return Object.fromEntries(names.map((n) => [n, "readonly"]));
}
