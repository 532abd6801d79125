/**
 * The policy as JSON in Monaco, with the policy JSON Schema for completion and validation and
 * the core's own verdict (`policy.validate`: the error with its JSON pointer, lint findings).
 * "Use for review" makes the editor's program be checked against this policy.
 */
import { useEffect, useState } from 'react';
import { JsonEditor } from '../components/monaco/JsonEditor.tsx';
import { useFlowgate, useStores } from '../store/hooks.ts';

export function PolicyView() {
  const stores = useStores();
  const policies = useFlowgate('policy', (s) => s.policies);
  const name = useFlowgate('policy', (s) => s.name);
  const text = useFlowgate('policy', (s) => s.text);
  const original = useFlowgate('policy', (s) => s.original);
  const schema = useFlowgate('policy', (s) => s.schema);
  const validation = useFlowgate('policy', (s) => s.validation);
  const validating = useFlowgate('policy', (s) => s.validating);
  const error = useFlowgate('policy', (s) => s.error);
  const [reveal, setReveal] = useState<{ line: number; column: number; nonce: number }>();

  useEffect(() => {
    const state = stores.policy.getState();
    if (!state.name && state.policies.length) void state.open(state.policies.some((p) => p.name === 'seed') ? 'seed' : state.policies[0].name);
  }, [stores, policies]);

  const edited = text !== original;
  const use = () => {
    stores.editor.getState().setPolicy(edited ? { text, name } : { name: name ?? 'edited' });
    stores.ui.getState().setTab('review');
  };
  const problem = validation?.error;

  return (
    <div className="policy-view" data-testid="policy-view">
      <div className="toolbar">
        <div className="toolbar-left">
          <label className="inline-field">
            Policy
            <select value={name ?? ''} onChange={(e) => void stores.policy.getState().open(e.target.value)} data-testid="policy-open">
              {!name && <option value="">choose…</option>}
              {policies.map((p) => (
                <option key={p.name} value={p.name}>{p.name}</option>
              ))}
            </select>
          </label>
          {edited && <span className="chip">edited</span>}
          <span className={`chip ${validating ? '' : validation?.ok ? 'decision-allow' : validation ? 'decision-deny' : ''}`} data-testid="policy-status">
            {validating ? 'checking…' : validation?.ok ? 'valid' : validation ? 'invalid' : ''}
          </span>
        </div>
        <div className="toolbar-right">
          {edited && (
            <button type="button" className="btn btn-ghost" onClick={() => stores.policy.getState().setText(original)}>
              Revert
            </button>
          )}
          <button type="button" className="btn btn-primary" disabled={!validation?.ok} onClick={use} data-testid="policy-use">
            Use for review
          </button>
        </div>
      </div>
      {error && <p className="error" data-testid="policy-load-error">{error}</p>}
      {problem && (
        <button
          type="button"
          className="error policy-problem"
          data-testid="policy-error"
          data-pointer={problem.pointer}
          onClick={() => problem.line && setReveal({ line: problem.line, column: problem.column ?? 1, nonce: Date.now() })}
        >
          <strong>Invalid policy</strong> at <code>{problem.pointer || '/'}</code>
          {problem.line ? ` (line ${problem.line})` : ''}: {problem.message}
        </button>
      )}
      {validation && validation.lint.length > 0 && (
        <ul className="lint" data-testid="policy-lint">
          {validation.lint.map((f, i) => (
            <li key={i} className={`lint-${f.severity}`} data-testid="policy-lint-item">
              <span className="chip">{f.severity}</span> <code>{f.pointer}</code> {f.message}
            </li>
          ))}
        </ul>
      )}
      <div className="editor-area">
        <JsonEditor value={text} onChange={(t) => stores.policy.getState().setText(t)} schema={schema} reveal={reveal} />
      </div>
    </div>
  );
}
