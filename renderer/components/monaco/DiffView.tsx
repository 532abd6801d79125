/** The previous submission of the same task against this one, side by side (read-only). */
import { useEffect, useRef } from 'react';
import { useMonaco } from './useMonaco.ts';

export function DiffView(props: { original: string; modified: string }) {
  const { monaco, error } = useMonaco();
  const host = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!monaco || !host.current) return;
    const original = monaco.editor.createModel(props.original, 'typescript');
    const modified = monaco.editor.createModel(props.modified, 'typescript');
    const diff = monaco.editor.createDiffEditor(host.current, {
      theme: 'flowgate',
      automaticLayout: true,
      readOnly: true,
      minimap: { enabled: false },
      fontSize: 13,
      renderSideBySide: true,
    });
    diff.setModel({ original, modified });
    return () => {
      diff.dispose();
      original.dispose();
      modified.dispose();
    };
  }, [monaco, props.original, props.modified]);

  if (error) return <div className="editor-error">The diff could not load: {error}</div>;
  return (
    <div className="nokey editor-host" data-testid="diff-editor" ref={host}>
      {!monaco && <div className="editor-loading">Loading diff…</div>}
    </div>
  );
}
