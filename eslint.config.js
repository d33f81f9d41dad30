import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

// The architecture as lint rules: pure domain code never imports Electron; the renderer never imports
// Node or the core (it reaches the core only through the preload API / localhost bridge).
export default tseslint.config(
  {
    ignores: [
      'out/**',
      'node_modules/**',
      '.venv/**',
      'tmp/**',
      '.kneegrade-*/**',
      'training/**',
      'docs/**',
      'resources/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/core/**', 'src/shared/**', 'src/cli/**', 'src/bridge/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'electron', message: 'Domain code must not import Electron.' }] },
      ],
    },
  },
  {
    files: ['src/renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', 'electron', '**/core/**', 'better-sqlite3', 'onnxruntime-node'],
              message: 'The renderer talks to the core only through the API.',
            },
          ],
        },
      ],
    },
  },
);
