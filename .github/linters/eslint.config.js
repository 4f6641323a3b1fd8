// ESLint 10 flat config for tracefix. It lives here because the repository's top level is fixed;
// `npm run lint` passes it with --config (run from the repository root, as npm scripts are). Every
// block carries the repository root as its basePath, so the globs below are anchored there rather
// than to this file's directory.
// Syntax-only typescript-eslint rules (no type information): lint stays a few seconds; `tsc` is
// the type check.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const LINTED = ['src', 'workers', 'schemas', 'test', 'bench'];
const CODE = LINTED.map((dir) => `${dir}/**/*.{ts,js,mjs}`);

/** An import specifier that climbs out of the importing directory into `dir`/ at the repo root. */
const climbsInto = (dir) => `^(\\.\\./)+${dir}(/|$)`;

export default defineConfig(
  {
    name: 'tracefix/scope',
    basePath: root,
    // Only the five source trees; fixture repositories are sample projects with planted bugs.
    ignores: ['*', ...LINTED.map((dir) => `!${dir}/`), 'test/fixtures/', '**/node_modules/'],
  },
  {
    name: 'tracefix/base',
    basePath: root,
    files: CODE,
    extends: [js.configs.recommended, tseslint.configs.recommended],
    languageOptions: {
      ecmaVersion: 'latest',
      sourceType: 'module',
      globals: globals.node,
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      'prefer-const': 'error',
    },
  },
  {
    name: 'tracefix/schemas-stand-alone',
    basePath: root,
    files: ['schemas/**/*.{ts,js}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: ['src', 'workers', 'test', 'bench'].map((dir) => ({
            regex: climbsInto(dir),
            message: `schemas/ is the shared contract: it imports nothing from ${dir}/.`,
          })),
        },
      ],
    },
  },
  {
    name: 'tracefix/src-no-test-code',
    basePath: root,
    files: ['src/**/*.{ts,js}', 'workers/**/*.{ts,js}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: ['test', 'bench'].map((dir) => ({
            regex: climbsInto(dir),
            message: `Production code never imports from ${dir}/ (move what is shared into src/).`,
          })),
        },
      ],
    },
  },
  {
    // Tests reach into parsed JSON (bundles, reports) whose shape the assertions themselves check.
    name: 'tracefix/tests-may-read-untyped-json',
    basePath: root,
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
