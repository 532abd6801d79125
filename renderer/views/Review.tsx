/**
 * The review screen: the program (or its diff with the previous submission of the same task)
 * with the analysis as markers and the reasons under it; beside it what the reviewer acts on —
 * the decision (what it binds to), the run, and the flow graph.
 */
import { useEffect, useMemo, useState } from 'react';
import { DiffView } from '../components/monaco/DiffView.tsx';
import { ProgramEditor } from '../components/monaco/ProgramEditor.tsx';
import { StateBadge } from '../components/StateBadge.tsx';
import { VerdictBadge } from '../components/VerdictBadge.tsx';
import { catalogChoice } from '../store/catalog.ts';
import { policyLabel } from '../store/editor.ts';
import { useFlowgate, useStores } from '../store/hooks.ts';
import { Decide } from './Decide.tsx';
import { FlowGraph } from './FlowGraph.tsx';
import { marksFor } from './markers-model.ts';
import { Reasons } from './Reasons.tsx';
import { RunPanel } from './RunPanel.tsx';

export function Review() {
  const stores = useStores();
  const source = useFlowgate('editor', (s) => s.source);
  const analysis = useFlowgate('editor', (s) => s.analysis);
  const analyzing = useFlowgate('editor', (s) => s.analyzing);
  const editorError = useFlowgate('editor', (s) => s.error);
  const policy = useFlowgate('editor', (s) => s.policy);
  const catalogName = useFlowgate('editor', (s) => s.catalog);
  const intent = useFlowgate('editor', (s) => s.intent);
  const task = useFlowgate('editor', (s) => s.task);
  const reveal = useFlowgate('editor', (s) => s.reveal);
  const submittedSource = useFlowgate('editor', (s) => s.submittedSource);
  const selected = useFlowgate('submissions', (s) => s.selected);
  const busy = useFlowgate('submissions', (s) => s.busy);
  const submitError = useFlowgate('submissions', (s) => s.error);
  const reason = useFlowgate('submissions', (s) => (s.selectedId ? (s.drafts[s.selectedId] ?? '') : ''));
  const decideError = useFlowgate('submissions', (s) => (s.selectedId ? s.decideErrors[s.selectedId] || undefined : undefined));
  const declarations = useFlowgate('catalog', (s) => s.views[catalogName]?.declarations);
  const policies = useFlowgate('policy', (s) => s.policies);
  const reviewers = useFlowgate('reviewers', (s) => s.reviewers);
  const reviewersLoaded = useFlowgate('reviewers', (s) => s.loaded);
  const registering = useFlowgate('reviewers', (s) => s.busy);
  const reviewerError = useFlowgate('reviewers', (s) => s.error);
  const story = useFlowgate('demo', (s) => s.current);
  const starting = useFlowgate('run', (s) => (selected ? !!s.starting[selected.id] : false));
  const runError = useFlowgate('run', (s) => (selected ? s.errors[selected.id] : undefined));
  const promptError = useFlowgate('run', (s) => s.promptError);
  const promptDrafts = useFlowgate('run', (s) => s.promptDrafts);
  const [showDiff, setShowDiff] = useState(false);

  useEffect(() => {
    void stores.catalog.getState().load(catalogName);
  }, [stores, catalogName]);

  const marks = useMemo(() => marksFor(analysis), [analysis]);
  const edited = submittedSource !== undefined && source !== submittedSource;
  const isDraft = submittedSource === undefined;
  const previous = selected?.previous;
  const editor = stores.editor.getState();
  const reveal_ = (line: number, column: number) => {
    setShowDiff(false);
    editor.revealAt(line, column);
  };

  const submitNew = async () => {
    const view = await stores.submissions.getState().submit({ source, intent: intent || 'Edited in the workbench', task, policy, catalog: catalogName === 'current' ? undefined : catalogName });
    if (view) stores.editor.getState().loadSubmission(view);
  };

  return (
    <div className="review" data-testid="review">
      <div className="review-main">
        <div className="toolbar">
          <div className="toolbar-left">
            {selected && !edited && (
              <span className="inline-field" title="Where the submission stands">
                Submission <StateBadge facts={{ ...selected, runStatus: selected.run?.status }} testId="toolbar-state" readOnly={selected.readOnly} />
              </span>
            )}
            <span className="inline-field" title="The policy's verdict on the program in the editor (live as you type)">
              Policy verdict <VerdictBadge verdict={analysis?.verdict} testId="verdict" pending={analyzing} />
            </span>
            <input className="intent" value={intent} placeholder="Intent: what should this program do?" onChange={(e) => editor.setIntent(e.target.value)} data-testid="intent" />
          </div>
          <div className="toolbar-right">
            <label className="inline-field">
              Policy
              <select
                value={'text' in policy ? '__edited' : policy.name}
                onChange={(e) => e.target.value !== '__edited' && editor.setPolicy({ name: e.target.value })}
                data-testid="policy-select"
              >
                {'text' in policy && <option value="__edited">{policyLabel(policy)}</option>}
                {!policies.some((p) => !('text' in policy) && p.name === policy.name) && !('text' in policy) && <option value={policy.name}>{policy.name}</option>}
                {policies.map((p) => (
                  <option key={p.name} value={p.name}>{p.name}</option>
                ))}
              </select>
            </label>
            <label className="inline-field">
              Catalog
              <select value={catalogName} onChange={(e) => editor.setCatalog(catalogChoice(e.target.value))} data-testid="catalog-select">
                <option value="current">served</option>
                <option value="demo">demo</option>
                <option value="demo-v2">demo-v2 (billing v2)</option>
              </select>
            </label>
            {previous && (
              <button type="button" className={`btn btn-ghost${showDiff ? ' active' : ''}`} onClick={() => setShowDiff(!showDiff)} data-testid="toggle-diff">
                {showDiff ? 'Editor' : 'Diff vs previous'}
              </button>
            )}
            <button type="button" className="btn btn-primary" disabled={!!busy || (!edited && !isDraft) || !source.trim()} onClick={() => void submitNew()} data-testid="submit">
              {isDraft ? 'Submit' : 'Submit edited'}
            </button>
          </div>
        </div>
        {story && task === `demo-story-${story.id}` && (
          <p className="story-hint" data-testid="story-hint">
            <strong>Story {story.id}:</strong> {story.title}. <span className="muted">Expected: {story.expected}</span>
          </p>
        )}
        {edited && <p className="edited-hint" data-testid="edited-hint">Edited: the verdict updates as you type. Submit the edited program to review it.</p>}
        {editorError && <p className="error" data-testid="analysis-error">{editorError}</p>}
        {submitError && <p className="error" data-testid="submit-error">{submitError}</p>}
        <div className="editor-area">
          {showDiff && previous ? (
            <DiffView original={previous.source} modified={source} />
          ) : (
            <ProgramEditor value={source} onChange={editor.setSource} marks={marks} declarations={declarations} reveal={reveal} />
          )}
        </div>
        <section className="why" aria-label="Why">
          <h3 className="panel-title">
            Why <span className="muted small">the policy's verdict on the program in the editor</span>
          </h3>
          <Reasons analysis={analysis} onReveal={reveal_} />
        </section>
      </div>
      <aside className="review-side" data-testid="review-side">
        <Decide
          submission={selected}
          edited={edited}
          busy={!!selected && busy === selected.id}
          error={decideError}
          reason={reason}
          reviewers={reviewers}
          reviewersLoaded={reviewersLoaded}
          registering={registering}
          reviewerError={reviewerError}
          onReason={(text) => selected && stores.submissions.getState().setDraft(selected.id, text)}
          onDecide={(decision) => selected && void stores.submissions.getState().decide(selected.id, decision)}
          onRegister={(name) => void stores.reviewers.getState().register(name)}
        />
        <RunPanel
          submission={selected}
          edited={edited}
          starting={starting}
          error={runError}
          promptError={promptError}
          promptDrafts={promptDrafts}
          onRun={() => selected && void stores.run.getState().start(selected.id)}
          onPromptDraft={(id, text) => stores.run.getState().setPromptDraft(id, text)}
          onAnswer={(id, approve) => void stores.run.getState().answer(id, approve)}
        />
        <section className="panel">
          <h3 className="panel-title">Flows</h3>
          <FlowGraph analysis={analysis} onReveal={reveal_} />
        </section>
      </aside>
    </div>
  );
}
