/** A JSON document in Monaco, validated against a JSON Schema (the policy editor). */
import { useEffect, useRef } from 'react';
import type * as MonacoApi from 'monaco-editor';
import { setPolicySchema } from './loader.ts';
import { useMonaco } from './useMonaco.ts';

export interface JsonEditorProps {
  value: string;
  onChange(value: string): void;
  schema?: unknown;
  /** A line to put the cursor on (the validation error's line). */
  reveal?: { line: number; column: number; nonce: number };
}

const POLICY_URI = 'file:///flowgate/policy.json';

export function JsonEditor(props: JsonEditorProps) {
  const { monaco, error } = useMonaco();
  const host = useRef<HTMLDivElement>(null);
  const editor = useRef<MonacoApi.editor.IStandaloneCodeEditor | undefined>(undefined);
  const onChange = useRef(props.onChange);
  onChange.current = props.onChange;

  useEffect(() => {
    if (!monaco || !host.current) return;
    const uri = monaco.Uri.parse(POLICY_URI);
    const model = monaco.editor.getModel(uri) ?? monaco.editor.createModel(props.value, 'json', uri);
    const e = monaco.editor.create(host.current, {
      model,
      theme: 'flowgate',
      automaticLayout: true,
      minimap: { enabled: false },
      fontSize: 13,
      scrollBeyondLastLine: false,
      tabSize: 2,
    });
    editor.current = e;
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
    if (monaco && props.schema) setPolicySchema(monaco, props.schema, POLICY_URI);
  }, [monaco, props.schema]);

  const reveal = props.reveal;
  useEffect(() => {
    const e = editor.current;
    if (!e || !reveal) return;
    e.revealLineInCenter(reveal.line);
    e.setPosition({ lineNumber: reveal.line, column: reveal.column });
  }, [reveal, monaco]);

  if (error) return <div className="editor-error">The editor could not load: {error}</div>;
  return (
    <div className="nokey editor-host" data-testid="policy-editor" ref={host}>
      {!monaco && <div className="editor-loading">Loading editor…</div>}
    </div>
  );
}
