// Lint rules that keep the layers honest (STYLE.md §1): core imports no UI or Electron, core's
// folders import only the layers below them (an allow-list per folder, as VS Code's
// code-import-patterns does), the renderer imports only protocol *types* and the pure lifecycle
// model from the core, pure core modules do no I/O.
import { dirname, relative, resolve, sep } from 'node:path';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

/**
 * core/'s layers, bottom to top: what each folder (or file) may import besides itself. `type:`
 * entries admit `import type` only. The most specific key applies; tests and test helpers may
 * also import the demo company (their fixtures).
 */
const LAYERS = {
  'core/demo': [],
  'core/catalog': [],
  // The one parse: TypeScript's tree lowered to the interpreter's, shared by the analysis and the run.
  'core/lower': [],
  'core/policy': ['core/catalog'],
  'core/analysis': ['core/catalog', 'core/policy', 'core/lower'],
  // The audit trail depends on nothing at run time; its typed event model names the analysis' and
  // the policy's types.
  'core/audit': ['type:core/analysis/types.ts', 'type:core/policy/types.ts'],
  // The lifecycle model is pure and browser-safe (the workbench imports it): no Node, no store.
  'core/audit/lifecycle': ['core/audit/types.ts', 'core/audit/canonical.ts', 'type:core/analysis/types.ts', 'type:core/policy/types.ts'],
  'core/sandbox': ['core/catalog', 'core/policy', 'core/lower', 'core/audit'],
  // A user's workspace: their API descriptions, overlays and credentials, loaded into a catalog
  // and the transport that signs requests.
  'core/workspace': ['core/catalog', 'core/policy', 'core/sandbox'],
  'core/service': ['core/catalog', 'core/policy', 'core/lower', 'core/analysis', 'core/audit', 'core/sandbox', 'core/workspace', 'core/demo'],
  'core/cli': ['core/catalog', 'core/policy', 'core/lower', 'core/analysis', 'core/audit', 'core/sandbox', 'core/workspace', 'core/demo', 'core/service'],
  'core/cli.ts': ['core/cli'],
};
const ROOT = import.meta.dirname;
const posix = (p) => p.split(sep).join('/');
const within = (target, path) => target === path || target.startsWith(path.endsWith('.ts') ? path : `${path}/`);

const layersRule = {
  meta: { type: 'problem', schema: [], docs: { description: "core's folders import only the layers below them" } },
  create(context) {
    const file = posix(relative(ROOT, context.filename));
    const key = Object.keys(LAYERS).filter((k) => within(file, k)).sort((a, b) => b.length - a.length)[0];
    if (!key) return {};
    const test = /\.test\.ts$|\/testing\//.test(file);
    const allowed = [...LAYERS[key], ...(test ? ['core/demo'] : [])];
    const check = (node, source, typeOnly) => {
      if (typeof source !== 'string' || !source.startsWith('.')) return;
      const target = posix(relative(ROOT, resolve(dirname(context.filename), source)));
      if (!target.startsWith('core/') || within(target, key)) return;
      const ok = allowed.some((a) => (a.startsWith('type:') ? typeOnly && within(target, a.slice(5)) : within(target, a)));
      if (!ok) context.report({ node, message: `${key} may not import ${target}${typeOnly ? '' : ' (at run time)'}: its layer allows ${allowed.join(', ') || 'nothing else in core'}` });
    };
    const typeOnly = (node) => node.importKind === 'type' || node.exportKind === 'type' || (node.specifiers?.length > 0 && node.specifiers.every((s) => s.importKind === 'type' || s.exportKind === 'type'));
    return {
      ImportDeclaration: (node) => check(node, node.source.value, typeOnly(node)),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value, typeOnly(node)),
      ExportAllDeclaration: (node) => check(node, node.source.value, node.exportKind === 'type'),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value, false),
    };
  },
};

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
    plugins: { flowgate: { rules: { layers: layersRule } } },
    rules: {
      'flowgate/layers': 'error',
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
    // The lifecycle model runs in the workbench too: nothing of Node at all.
    files: ['core/audit/lifecycle/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: uiAndShell, message: 'core/ must not import UI or Electron code.' },
        { group: ['node:*', ...ioModules], message: 'the lifecycle model is pure and browser-safe: no Node modules.' },
      ] }],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        // `ignore` cannot re-include a file under an excluded folder, hence '!**/core/**/'.
        { group: ['**/core/**', '!**/core/**/', '!**/core/service/protocol.ts', '!**/core/**/types.ts', '!**/core/audit/lifecycle/*.ts'], message: 'the renderer imports only protocol types and the pure lifecycle model from the core.' },
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
