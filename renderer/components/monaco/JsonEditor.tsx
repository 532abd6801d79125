/** A JSON document in Monaco, validated against a JSON Schema (the policy editor). */
import { useEffect } from 'react';
import { setPolicySchema } from './loader.ts';
import { useEditor } from './useEditor.ts';

export interface JsonEditorProps {
  value: string;
  onChange(value: string): void;
  schema?: unknown;
  /** A line to put the cursor on (the validation error's line). */
  reveal?: { line: number; column: number; nonce: number };
}

const POLICY_URI = 'file:///flowgate/policy.json';

export function JsonEditor(props: JsonEditorProps) {
  const { monaco, error, host } = useEditor({ uri: POLICY_URI, language: 'json', value: props.value, onChange: props.onChange, reveal: props.reveal });

  useEffect(() => {
    if (monaco && props.schema) setPolicySchema(monaco, props.schema, POLICY_URI);
  }, [monaco, props.schema]);

  if (error) return <div className="editor-error">The editor could not load: {error}</div>;
  return (
    <div className="nokey editor-host" data-testid="policy-editor" ref={host}>
      {!monaco && <div className="editor-loading">Loading editor…</div>}
    </div>
  );
}
