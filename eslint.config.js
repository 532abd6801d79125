// Lint rules that keep the layers honest (STYLE.md §1): core imports no UI or Electron,
// the renderer imports only protocol *types* from the core, pure core modules do no I/O.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const uiAndShell = ['**/renderer/**', '**/electron/**', 'electron', 'react', 'react-dom', 'monaco-editor', '@xyflow/react', 'zustand', 'dexie'];
const ioModules = ['node:fs', 'node:fs/promises', 'fs', 'node:child_process', 'child_process', 'node:net', 'node:http', 'isolated-vm'];

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'out/**', 'test-results/**', 'playwright-report/**', '**/fixtures/**', 'core/demo/stories/**', 'bin/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: { projectService: { allowDefaultProject: ['eslint.config.js'] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: uiAndShell, message: 'core/ must not import UI or Electron code.' }] }],
    },
  },
  {
    // Pure logic: no file system, processes, sockets or isolates (adapters do that).
    files: ['core/analysis/**/*.ts', 'core/policy/decide*.ts', 'core/policy/lint*.ts', 'core/audit/types.ts', 'core/audit/canonical.ts',
      // The content layer: normalisation, value forms and matching, redaction, content checks.
      'core/audit/{normalize,numbers,forms,value-index,segments,redact}.ts', 'core/sandbox/content-check.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: uiAndShell, message: 'core/ must not import UI or Electron code.' },
        { group: ioModules, message: 'pure core logic does no I/O; put it in an adapter.' },
      ] }],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        // `ignore` cannot re-include a file under an excluded folder, hence '!**/core/**/'.
        { group: ['**/core/**', '!**/core/**/', '!**/core/service/protocol.ts', '!**/core/**/types.ts'], message: 'the renderer imports only protocol types from the core.' },
        { group: ['electron', 'node:*'], message: 'the renderer runs in a browser sandbox.' },
      ] }],
    },
  },
  {
    files: ['electron/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/renderer/**', '**/core/**', '!**/core/service/protocol*'], message: 'electron/ is a thin shell: it talks to the core over its protocol.' }] }],
    },
  },
);
