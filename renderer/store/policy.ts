/**
 * The Policy view's state: the policies the core knows, the JSON Schema for the editor, the text
 * being edited and the core's `policy.validate` verdict on it (debounced while typing).
 */
import { createStore } from 'zustand/vanilla';
import type { Result } from '../../core/service/protocol.ts';
import { errorMessage, type Bridge } from '../bridge/types.ts';

export interface PolicyState {
  policies: Array<{ name: string; file: string }>;
  schema?: unknown;
  /** The policy open in the editor. */
  name?: string;
  text: string;
  /** The text as loaded: an edited policy is sent to the core as text. */
  original: string;
  validation?: Result<'policy.validate'>;
  validating: boolean;
  error?: string;
  refresh(): Promise<void>;
  open(name: string): Promise<void>;
  setText(text: string): void;
  validate(): Promise<void>;
}

export const POLICY_VALIDATE_DEBOUNCE_MS = 300;

export function createPolicyStore(bridge: Bridge) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let generation = 0;
  return createStore<PolicyState>()((set, get) => ({
    policies: [],
    text: '',
    original: '',
    validating: false,
    refresh: async () => {
      try {
        const [policies, schema] = await Promise.all([bridge.call('policy.list', {}), bridge.call('policy.schema', {})]);
        set({ policies, schema: schema.schema, error: undefined });
      } catch (error) {
        set({ error: errorMessage(error) });
      }
    },
    open: async (name) => {
      try {
        const { text } = await bridge.call('policy.get', { name });
        set({ name, text, original: text, validation: undefined, error: undefined });
        await get().validate();
      } catch (error) {
        set({ error: errorMessage(error) });
      }
    },
    setText: (text) => {
      set({ text });
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => void get().validate(), POLICY_VALIDATE_DEBOUNCE_MS);
    },
    validate: async () => {
      const mine = ++generation;
      set({ validating: true });
      try {
        const validation = await bridge.call('policy.validate', { text: get().text });
        if (mine === generation) set({ validation, validating: false, error: undefined });
      } catch (error) {
        if (mine === generation) set({ validating: false, error: errorMessage(error) });
      }
    },
  }));
}
export type PolicyStore = ReturnType<typeof createPolicyStore>;
