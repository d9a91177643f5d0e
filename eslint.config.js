// Process boundaries are enforced here, not by memory:
//   renderer/  is a web page: no node:*, no electron, no Node built-ins.
//   shared/    runs on both sides: neither Node nor electron nor DOM-only modules.
//   electron/helper and electron/cli are plain Node: never electron.
//   electron/helper/transfer imports neither clone/ nor cache/; cache/ does not import clone/.
// The list of Node built-ins comes from node:module so a bare 'fs' is caught as well as 'node:fs'.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import { builtinModules } from 'node:module';

const nodeBuiltins = builtinModules.filter((m) => !m.startsWith('_'));
const noNode = {
  paths: nodeBuiltins.map((name) => ({ name, message: 'Node built-ins are not available on this side of the boundary.' })),
  patterns: [{ group: ['node:*'], message: 'Node built-ins are not available on this side of the boundary.' }],
};
const noElectron = [
  { name: 'electron', message: 'Only electron/main and electron/preload may import electron.' },
];

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': ['error', { paths: [...noNode.paths, ...noElectron], patterns: noNode.patterns }],
    },
  },
  {
    files: ['renderer/vite.config.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['shared/**/*.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-imports': ['error', {
        paths: [...noNode.paths, ...noElectron],
        patterns: [...noNode.patterns, { group: ['react', 'react-dom', 'react/*', 'zustand', 'zustand/*'], message: 'shared/ holds no UI code.' }],
      }],
    },
  },
  {
    files: ['electron/helper/**/*.ts', 'electron/cli/**/*.ts', 'test/fixtures/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: noElectron }] },
  },
  // Layers inside the helper: transfer/ moves bytes for every feature and knows none of them;
  // cache/ (local mirrors) sits beside clone/, not on top of it. The arrow runs one way only.
  {
    files: ['electron/helper/transfer/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: noElectron,
        patterns: [{ group: ['**/clone/*', '**/cache/*'], message: 'transfer/ sits below clone/ and cache/: it imports neither.' }],
      }],
    },
  },
  {
    files: ['electron/helper/cache/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: noElectron,
        patterns: [{ group: ['**/clone/*'], message: 'cache/ does not import clone/: what both need belongs in transfer/.' }],
      }],
    },
  },
);
