/**
 * Loads Monaco on first use (it is ~11 MB with TypeScript support) and tells it where its
 * workers are (Vite `?worker` imports, paths per Monaco 0.57). Configured once for Flowgate
 * programs: no DOM lib (the sandbox has no `fetch`, `window`…), top-level `await` and `return`
 * accepted (a program is an async function body), type errors left to the core's analysis
 * (its diagnostics speak the API's words) while completion and hovers come from Monaco.
 */
export type Monaco = typeof import('monaco-editor');

let loading: Promise<Monaco> | undefined;

/** TS codes Monaco reports for a program body that the program form allows. */
const PROGRAM_FORM_CODES = [
  1108, // 'return' outside a function
  1375, // top-level 'await' in a script
  1378, // top-level 'await' needs module ES2022
];

export function loadMonaco(): Promise<Monaco> {
  loading ??= (async () => {
    const [editorWorker, tsWorker, jsonWorker] = await Promise.all([
      import('monaco-editor/editor/editor.worker?worker'),
      import('monaco-editor/languages/features/typescript/ts.worker?worker'),
      import('monaco-editor/languages/features/json/json.worker?worker'),
    ]);
    (globalThis as { MonacoEnvironment?: unknown }).MonacoEnvironment = {
      getWorker(_id: string, label: string): Worker {
        if (label === 'typescript' || label === 'javascript') return new tsWorker.default();
        if (label === 'json') return new jsonWorker.default();
        return new editorWorker.default();
      },
    };
    const monaco = await import('monaco-editor');
    const ts = monaco.typescript;
    ts.typescriptDefaults.setCompilerOptions({
      target: ts.ScriptTarget.ESNext,
      lib: ['es2023'],
      strict: true,
      noEmit: true,
      allowNonTsExtensions: true,
    });
    ts.typescriptDefaults.setDiagnosticsOptions({ noSemanticValidation: true, noSyntaxValidation: false, diagnosticCodesToIgnore: PROGRAM_FORM_CODES });
    monaco.editor.defineTheme('flowgate', {
      base: 'vs',
      inherit: true,
      rules: [],
      colors: { 'editor.background': '#fbfcfe', 'editorLineNumber.foreground': '#9aa3b2' },
    });
    return monaco;
  })();
  return loading;
}

let extraLib: { content: string; dispose(): void } | undefined;

/** Makes the catalog's declarations the program's globals (IntelliSense). */
export function setProgramDeclarations(monaco: Monaco, declarations: string): void {
  if (extraLib?.content === declarations) return;
  extraLib?.dispose();
  const disposable = monaco.typescript.typescriptDefaults.addExtraLib(declarations, 'file:///flowgate/catalog.d.ts');
  extraLib = { content: declarations, dispose: () => disposable.dispose() };
}

let policySchema: unknown;

/** Gives the policy editor's model the policy JSON Schema (completion, validation). */
export function setPolicySchema(monaco: Monaco, schema: unknown, modelUri: string): void {
  if (policySchema === schema) return;
  policySchema = schema;
  monaco.json.jsonDefaults.setDiagnosticsOptions({
    validate: true,
    allowComments: false,
    enableSchemaRequest: false,
    schemas: [{ uri: 'flowgate://policy.schema.json', fileMatch: [modelUri], schema: schema as object }],
  });
}
