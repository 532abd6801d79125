/**
 * One Monaco editor bound to a model at `uri`: created once Monaco has loaded, kept in step
 * with `value` both ways, asked to reveal a line on request, disposed with the component.
 */
import { useEffect, useRef, type RefObject } from 'react';
import type * as MonacoApi from 'monaco-editor';
import type { Monaco } from './loader.ts';
import { useMonaco } from './useMonaco.ts';

export interface EditorOptions {
  uri: string;
  language: string;
  value: string;
  onChange(value: string): void;
  reveal?: { line: number; column: number; nonce: number };
  /** Options beyond the shared ones (theme, layout, font, tabs). */
  options?: MonacoApi.editor.IStandaloneEditorConstructionOptions;
  onCreate?(editor: MonacoApi.editor.IStandaloneCodeEditor): void;
  /** Give the editor focus when it reveals a line. */
  focusOnReveal?: boolean;
}

export interface Editor {
  monaco?: Monaco;
  error?: string;
  host: RefObject<HTMLDivElement | null>;
  editor: RefObject<MonacoApi.editor.IStandaloneCodeEditor | undefined>;
}

export function useEditor(props: EditorOptions): Editor {
  const { monaco, error } = useMonaco();
  const host = useRef<HTMLDivElement>(null);
  const editor = useRef<MonacoApi.editor.IStandaloneCodeEditor | undefined>(undefined);
  const onChange = useRef(props.onChange);
  onChange.current = props.onChange;
  const onCreate = useRef(props.onCreate);
  onCreate.current = props.onCreate;

  useEffect(() => {
    if (!monaco || !host.current) return;
    const uri = monaco.Uri.parse(props.uri);
    const model = monaco.editor.getModel(uri) ?? monaco.editor.createModel(props.value, props.language, uri);
    const e = monaco.editor.create(host.current, {
      model,
      theme: 'flowgate',
      automaticLayout: true,
      minimap: { enabled: false },
      fontSize: 13,
      scrollBeyondLastLine: false,
      tabSize: 2,
      ...props.options,
    });
    editor.current = e;
    onCreate.current?.(e);
    const sub = e.onDidChangeModelContent(() => onChange.current(e.getValue()));
    return () => {
      sub.dispose();
      e.dispose();
      editor.current = undefined;
    };
    // The editor is made once per Monaco; value changes arrive through the effect below.
  }, [monaco]);

  useEffect(() => {
    const e = editor.current;
    if (e && e.getValue() !== props.value) e.getModel()?.setValue(props.value);
  }, [props.value, monaco]);

  const reveal = props.reveal;
  useEffect(() => {
    const e = editor.current;
    if (!e || !reveal) return;
    e.revealLineInCenter(reveal.line);
    e.setPosition({ lineNumber: reveal.line, column: reveal.column });
    if (props.focusOnReveal) e.focus();
  }, [reveal, monaco, props.focusOnReveal]);

  return { monaco, error, host, editor };
}
