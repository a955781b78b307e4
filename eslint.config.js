// ESLint 9 flat config: typescript-eslint's recommended rules on every TypeScript file, ESLint's
// on the plain JavaScript (bin/, .ci/, test fakes). Formatting is Prettier's business, not ESLint's.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// The Node globals the plain .js/.mjs files use (no extra package for a list of names).
const nodeGlobals = Object.fromEntries(
  [
    'process',
    'console',
    'Buffer',
    'URL',
    'URLSearchParams',
    'setTimeout',
    'clearTimeout',
    'setInterval',
    'clearInterval',
    'setImmediate',
    'performance',
    'fetch',
    'AbortController',
    'AbortSignal',
    'TextEncoder',
    'TextDecoder',
    'structuredClone',
    'queueMicrotask',
  ].map((n) => [n, 'readonly']),
);

export default tseslint.config(
  { ignores: ['dist/', 'coverage/', 'data/', 'assets/', 'node_modules/'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ['**/*.{js,mjs}'],
    languageOptions: { globals: nodeGlobals },
  },
  {
    rules: {
      // `let [a, b] = …` where only one is reassigned is the idiom; const is required only when all could be.
      'prefer-const': ['error', { destructuring: 'all' }],
      // Matching ANSI escapes (\u001b) in assistant CLI output is deliberate.
      'no-control-regex': 'off',
      // tsc already rejects unused locals and parameters (noUnusedLocals/Parameters); `_`-prefixed
      // names are the deliberate exceptions (a signature to match, a destructured rest).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
    },
  },
  {
    // The dashboard (web/) runs in the browser: TypeScript knows its globals (lib DOM); nothing to add.
    files: ['web/**/*.{ts,tsx}'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  {
    // Tests read parsed JSON replies field by field; typing every fixture would add noise, not safety.
    files: ['**/*.test.ts', 'test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
