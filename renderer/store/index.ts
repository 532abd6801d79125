/**
 * All workbench stores over one bridge, and the wiring of core events into them. Framework
 * free: React reads them through hooks (hooks.ts); tests can drive them directly.
 */
import type { Passkeys } from '../bridge/passkeys.ts';
import type { Bridge } from '../bridge/types.ts';
import type { TraceCache } from '../db/traces.ts';
import { createCatalogStore } from './catalog.ts';
import { createConnectionStore } from './connection.ts';
import { createDemoStore } from './demo.ts';
import { createEditorStore } from './editor.ts';
import { createPolicyStore } from './policy.ts';
import { createReviewersStore } from './reviewers.ts';
import { createRunStore } from './run.ts';
import { createSubmissionsStore } from './submissions.ts';
import { createTimelineStore } from './timeline.ts';
import { createUiStore } from './ui.ts';
import { createWorkspaceStore } from './workspace.ts';

export function createStores(bridge: Bridge, cache: TraceCache, passkeys: Passkeys) {
  const ui = createUiStore();
  const connection = createConnectionStore(bridge);
  const catalog = createCatalogStore(bridge);
  const policy = createPolicyStore(bridge);
  const editor = createEditorStore(bridge);
  const submissions = createSubmissionsStore(bridge, passkeys);
  const run = createRunStore(bridge, passkeys);
  const reviewers = createReviewersStore(bridge, passkeys);
  const timeline = createTimelineStore(bridge, cache);
  const demo = createDemoStore(bridge, { editor, submissions, ui });
  const workspace = createWorkspaceStore(bridge, {
    catalog,
    onSwitched: () => {
      void catalog.getState().load('current');
      void bridge.call('hello', { client: 'flowgate-workbench', version: 1 }).then((hello) => connection.setState({ hello }), () => undefined);
    },
  });

  bridge.onEvent((event) => {
    switch (event.type) {
      case 'submission':
        submissions.getState().upsert(event.submission);
        break;
      case 'audit':
        timeline.getState().append(event.record);
        break;
    }
  });

  const loadAll = (): void => {
    void submissions.getState().refresh();
    void demo.getState().refresh();
    void policy.getState().refresh();
    void catalog.getState().load('current');
    void timeline.getState().refresh();
    void reviewers.getState().refresh();
  };
  bridge.onState((state) => {
    if (state === 'open') loadAll();
  });
  if (bridge.state === 'open') loadAll();

  return { ui, connection, catalog, policy, editor, submissions, run, reviewers, timeline, demo, workspace };
}

export type Stores = ReturnType<typeof createStores>;
