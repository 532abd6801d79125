/**
 * The Demo menu: the stories of SCENARIOS.md from `demo.stories`. Playing one loads it into the
 * editor with its policy and catalog, submits it, selects the submission and shows the review,
 * so a first-time user goes story → verdict → approve → run → timeline without reading anything.
 */
import { createStore } from 'zustand/vanilla';
import type { DemoStory, SubmissionView } from '../../core/service/protocol.ts';
import { errorMessage, type Bridge } from '../bridge/types.ts';
import type { EditorStore } from './editor.ts';
import type { SubmissionsStore } from './submissions.ts';
import type { UiStore } from './ui.ts';

export interface DemoState {
  stories: DemoStory[];
  /** The story last played, for the review's "what should happen" hint. */
  current?: DemoStory;
  error?: string;
  refresh(): Promise<void>;
  play(id: number): Promise<SubmissionView | undefined>;
}

export function createDemoStore(bridge: Bridge, deps: { editor: EditorStore; submissions: SubmissionsStore; ui: UiStore }) {
  return createStore<DemoState>()((set, get) => ({
    stories: [],
    refresh: async () => {
      try {
        set({ stories: await bridge.call('demo.stories', {}), error: undefined });
      } catch (error) {
        set({ error: errorMessage(error) });
      }
    },
    play: async (id) => {
      const story = get().stories.find((s) => s.id === id);
      if (!story) return undefined;
      set({ current: story });
      const task = `demo-story-${story.id}`;
      deps.ui.getState().setTab('review');
      deps.editor.getState().loadDraft({ source: story.source, policy: { name: story.policy }, catalog: story.catalog, intent: story.intent, task });
      const view = await deps.submissions.getState().submit({
        source: story.source,
        intent: story.intent,
        agent: 'demo',
        task,
        policy: { name: story.policy },
        catalog: story.catalog,
      });
      if (view) deps.editor.getState().loadSubmission(view);
      return view;
    },
  }));
}
export type DemoStore = ReturnType<typeof createDemoStore>;
