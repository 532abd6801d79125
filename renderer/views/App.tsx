/**
 * The workbench's frame: header (brand, demo menu, tabs, connection), the inbox on the left,
 * the current view. The path a new user follows: Demo story → verdict, reasons, flows →
 * approve with a reason → Run → the trace on the Timeline.
 */
import { useEffect } from 'react';
import { useFlowgate, useStores } from '../store/hooks.ts';
import type { Tab } from '../store/ui.ts';
import { CatalogView } from './CatalogView.tsx';
import { DemoMenu } from './DemoMenu.tsx';
import { WorkspaceSwitcher } from '../components/WorkspaceSwitcher.tsx';
import { Inbox } from './Inbox.tsx';
import { PolicyView } from './PolicyView.tsx';
import { ReviewersMenu } from './ReviewersMenu.tsx';
import { Review } from './Review.tsx';
import { Timeline } from './Timeline.tsx';

const TABS: Array<{ id: Tab; label: string }> = [
  { id: 'review', label: 'Review' },
  { id: 'timeline', label: 'Timeline' },
  { id: 'policy', label: 'Policy' },
  { id: 'catalog', label: 'Catalog' },
];

export function App() {
  const stores = useStores();
  const tab = useFlowgate('ui', (s) => s.tab);
  const state = useFlowgate('connection', (s) => s.state);
  const hello = useFlowgate('connection', (s) => s.hello);
  const connectionError = useFlowgate('connection', (s) => s.error);
  const stories = useFlowgate('demo', (s) => s.stories);
  const submissions = useFlowgate('submissions', (s) => s.list);
  const selectedId = useFlowgate('submissions', (s) => s.selectedId);

  const select = async (id: string) => {
    const view = await stores.submissions.getState().select(id);
    if (view) stores.editor.getState().loadSubmission(view);
    stores.ui.getState().setTab('review');
  };
  // `#submission=<id>` (the address an agent is given) opens that submission for review.
  useEffect(() => {
    const id = /(?:^#|&)submission=([\w-]+)/.exec(window.location.hash)?.[1];
    if (id && state === 'open') void select(id);
  }, [state]);

  const openTimeline = () => {
    const selected = stores.submissions.getState().selected;
    stores.ui.getState().setTab('timeline');
    void stores.timeline.getState().refresh();
    if (selected) void stores.timeline.getState().open(selected.traceId);
  };

  return (
    <div className="app">
      <header className="app-header">
        <div className="brand">
          <span className="logo" aria-hidden>◆</span> Flowgate <span className="slogan">approve flows, not tools</span>
        </div>
        <WorkspaceSwitcher />
        <DemoMenu stories={stories} onPlay={(id) => void stores.demo.getState().play(id)} />
        <nav className="tabs" role="tablist">
          {TABS.map((t) => (
            <button
              key={t.id}
              type="button"
              role="tab"
              aria-selected={tab === t.id}
              className={`tab${tab === t.id ? ' active' : ''}`}
              data-testid={`tab-${t.id}`}
              onClick={() => (t.id === 'timeline' ? openTimeline() : stores.ui.getState().setTab(t.id))}
            >
              {t.label}
            </button>
          ))}
        </nav>
        <ReviewersMenu />
        <div className={`connection connection-${state}`} data-testid="connection" data-state={state} title={connectionError}>
          <span className="dot" aria-hidden /> {state === 'open' ? `core · ${hello?.catalog ?? ''}` : state === 'connecting' ? 'connecting…' : 'disconnected'}
        </div>
      </header>
      <div className="app-body">
        {tab === 'review' && (
          <>
            <Inbox submissions={submissions} selectedId={selectedId} onSelect={(id) => void select(id)} />
            <main className="content">
              <Review />
            </main>
          </>
        )}
        {tab === 'timeline' && (
          <main className="content">
            <Timeline store={stores.timeline} />
          </main>
        )}
        {tab === 'policy' && (
          <main className="content">
            <PolicyView />
          </main>
        )}
        {tab === 'catalog' && (
          <main className="content">
            <CatalogView />
          </main>
        )}
      </div>
    </div>
  );
}
