/**
 * The program in Monaco: TypeScript against the catalog's declarations, the analysis' marks as
 * markers (hover shows the reason) and whole-line highlights, and "reveal this line" requests.
 * The container has class `nokey` so @xyflow/react on the same page does not eat keystrokes.
 */
import { useEffect, useRef } from 'react';
import type * as MonacoApi from 'monaco-editor';
import { lineMarks, type Mark } from '../../views/markers-model.ts';
import { setProgramDeclarations } from './loader.ts';
import { useMonaco } from './useMonaco.ts';

export interface ProgramEditorProps {
  value: string;
  onChange(value: string): void;
  marks: Mark[];
  declarations?: string;
  reveal?: { line: number; column: number; nonce: number };
  readOnly?: boolean;
}

const PROGRAM_URI = 'file:///flowgate/program.ts';

export function ProgramEditor(props: ProgramEditorProps) {
  const { monaco, error } = useMonaco();
  const host = useRef<HTMLDivElement>(null);
  const editor = useRef<MonacoApi.editor.IStandaloneCodeEditor | undefined>(undefined);
  const decorations = useRef<MonacoApi.editor.IEditorDecorationsCollection | undefined>(undefined);
  const onChange = useRef(props.onChange);
  onChange.current = props.onChange;

  useEffect(() => {
    if (!monaco || !host.current) return;
    const uri = monaco.Uri.parse(PROGRAM_URI);
    const model = monaco.editor.getModel(uri) ?? monaco.editor.createModel(props.value, 'typescript', uri);
    const e = monaco.editor.create(host.current, {
      model,
      theme: 'flowgate',
      automaticLayout: true,
      minimap: { enabled: false },
      fontSize: 13,
      lineHeight: 20,
      glyphMargin: true,
      scrollBeyondLastLine: false,
      renderLineHighlight: 'line',
      fixedOverflowWidgets: true,
      tabSize: 2,
    });
    editor.current = e;
    decorations.current = e.createDecorationsCollection();
    const sub = e.onDidChangeModelContent(() => onChange.current(e.getValue()));
    return () => {
      sub.dispose();
      e.dispose();
      editor.current = undefined;
    };
  }, [monaco]);

  useEffect(() => {
    const e = editor.current;
    if (e && e.getValue() !== props.value) e.getModel()?.setValue(props.value);
  }, [props.value, monaco]);

  useEffect(() => {
    editor.current?.updateOptions({ readOnly: props.readOnly ?? false });
  }, [props.readOnly, monaco]);

  useEffect(() => {
    if (monaco && props.declarations) setProgramDeclarations(monaco, props.declarations);
  }, [monaco, props.declarations]);

  useEffect(() => {
    const e = editor.current;
    const model = e?.getModel();
    if (!monaco || !e || !model) return;
    const severity = { error: monaco.MarkerSeverity.Error, warning: monaco.MarkerSeverity.Warning, info: monaco.MarkerSeverity.Info };
    monaco.editor.setModelMarkers(
      model,
      'flowgate',
      props.marks.map((m) => ({ ...m, severity: severity[m.severity], source: 'flowgate', code: m.code })),
    );
    decorations.current?.set(
      lineMarks(props.marks).map((m) => ({
        range: new monaco.Range(m.line, 1, m.line, 1),
        options: {
          isWholeLine: true,
          className: m.kind === 'deny' ? 'fg-line-deny' : 'fg-line-approval',
          glyphMarginClassName: m.kind === 'deny' ? 'fg-glyph-deny' : 'fg-glyph-approval',
          glyphMarginHoverMessage: { value: m.message },
        },
      })),
    );
  }, [monaco, props.marks]);

  const reveal = props.reveal;
  useEffect(() => {
    const e = editor.current;
    if (!e || !reveal) return;
    e.revealLineInCenter(reveal.line);
    e.setPosition({ lineNumber: reveal.line, column: reveal.column });
    e.focus();
  }, [reveal, monaco]);

  if (error) return <div className="editor-error">The editor could not load: {error}</div>;
  return (
    <div className="nokey editor-host" data-testid="program-editor" ref={host}>
      {!monaco && <div className="editor-loading">Loading editor…</div>}
    </div>
  );
}
