/**
 * The reviewers' passkeys: who may decide, and registering this reviewer's passkey (the first
 * one freely, a later one endorsed by an existing reviewer's passkey, which the core asks for).
 */
import { createStore } from 'zustand/vanilla';
import type { ReviewerView } from '../../core/service/protocol.ts';
import type { Passkeys } from '../bridge/passkeys.ts';
import { errorMessage, type Bridge } from '../bridge/types.ts';

export interface ReviewersState {
  reviewers: ReviewerView[];
  loaded: boolean;
  busy: boolean;
  error?: string;
  /** Registered from this page (shown as "you"). */
  registered?: ReviewerView;
  refresh(): Promise<void>;
  register(name: string): Promise<ReviewerView | undefined>;
}

export function createReviewersStore(bridge: Bridge, passkeys: Passkeys) {
  return createStore<ReviewersState>()((set, get) => ({
    reviewers: [],
    loaded: false,
    busy: false,
    refresh: async () => {
      try {
        set({ reviewers: await bridge.call('reviewers.list', {}), loaded: true });
      } catch (error) {
        set({ error: errorMessage(error) });
      }
    },
    register: async (name) => {
      const unavailable = passkeys.unavailable();
      if (unavailable) {
        set({ error: unavailable });
        return undefined;
      }
      set({ busy: true, error: undefined });
      try {
        const options = await bridge.call('reviewer.begin', { name });
        const created = await passkeys.create(options);
        const done = await bridge.call('reviewer.register', { response: created });
        // A reviewer exists: an existing reviewer's passkey must endorse this one.
        const reviewer = 'reviewer' in done ? done.reviewer : await bridge.call('reviewer.endorse', { credentialId: created.id, assertion: await passkeys.sign(done.endorse.options) });
        set({ registered: reviewer, busy: false });
        await get().refresh();
        return reviewer;
      } catch (error) {
        set({ busy: false, error: errorMessage(error) });
        return undefined;
      }
    },
  }));
}
export type ReviewersStore = ReturnType<typeof createReviewersStore>;
