/**
 * The program in Monaco: TypeScript against the catalog's declarations, the analysis' marks as
 * markers (hover shows the reason) and whole-line highlights, and "reveal this line" requests.
 * The container has class `nokey` so @xyflow/react on the same page does not eat keystrokes.
 */
import { useEffect, useRef } from 'react';
import type * as MonacoApi from 'monaco-editor';
import { lineMarks, type Mark } from '../../views/markers-model.ts';
import { setProgramDeclarations } from './loader.ts';
import { useEditor } from './useEditor.ts';

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
  const decorations = useRef<MonacoApi.editor.IEditorDecorationsCollection | undefined>(undefined);
  const { monaco, error, host, editor } = useEditor({
    uri: PROGRAM_URI,
    language: 'typescript',
    value: props.value,
    onChange: props.onChange,
    reveal: props.reveal,
    focusOnReveal: true,
    // Long lines wrap: a reason's marker and the whole call stay on screen at any width.
    options: { lineHeight: 20, glyphMargin: true, renderLineHighlight: 'line', fixedOverflowWidgets: true, wordWrap: 'on', wrappingIndent: 'indent' },
    onCreate: (e) => {
      decorations.current = e.createDecorationsCollection();
    },
  });

  useEffect(() => {
    editor.current?.updateOptions({ readOnly: props.readOnly ?? false });
  }, [props.readOnly, monaco, editor]);

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
  }, [monaco, props.marks, editor]);

  if (error) return <div className="editor-error">The editor could not load: {error}</div>;
  return (
    <div className="nokey editor-host" data-testid="program-editor" ref={host}>
      {!monaco && <div className="editor-loading">Loading editor…</div>}
    </div>
  );
}
