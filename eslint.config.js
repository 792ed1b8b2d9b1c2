// The house rules as a tool: TypeScript's recommended checks, the rules of hooks, and the
// boundaries of the architecture (DESIGN.md): Electron only in its shell, Node only on the Node
// side, the renderer and shared code reaching either only through the contract. Formatting is
// Prettier's (prettier --check runs beside this), so no style rules here.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// Node's modules by bare name (exact names: a pattern would also catch shared/events.ts).
const NODE_BARE = [
  'fs',
  'fs/promises',
  'path',
  'crypto',
  'os',
  'child_process',
  'http',
  'https',
  'net',
  'url',
  'util',
  'worker_threads',
  'zlib',
  'stream',
  'events',
  'module',
  'buffer',
  'readline',
  'tls',
  'dns',
];
const NO_NODE = 'The renderer and shared code run in the page too: no Node modules (reach Node through the contract).';

export default tseslint.config(
  { ignores: ['out/', 'dist/', 'node_modules/', 'test/.scratch/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', caughtErrors: 'none' },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },
  {
    files: ['renderer/**/*.{ts,tsx}', 'shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: NODE_BARE.map((name) => ({ name, message: NO_NODE })),
          patterns: [
            { group: ['node:*'], message: NO_NODE },
            {
              group: ['electron', 'electron-store', '**/electron/**'],
              message: 'The renderer and shared code reach Electron and the services only through the contract (shared/api.ts).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/services/**/*.ts', 'electron/web/**/*.ts', 'electron/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['electron', 'electron-store', '**/main/**', '**/preload/**'],
              message: 'Only electron/main and electron/preload may touch Electron: the services run in browser mode and the CLI too.',
            },
          ],
        },
      ],
    },
  },
  {
    // Tests read arbitrary JSON (payloads, answers) and poke at fakes: typing every shape would say nothing.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  prettier,
);
