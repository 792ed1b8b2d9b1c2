import { runnerBaseUrl } from '../../../shared/runner-url';
import type { Environment } from '../../../shared/api';
import { errorMessage } from './errors';
import type { SliceCreator } from './types';

export type EnvironmentErrorSlot = 'list' | 'activate' | 'save' | 'remove';

/** The add/edit form: id set when editing an existing environment. */
export interface EnvironmentDraft {
  id?: string;
  name: string;
  runnerUrl: string;
}

export interface EnvironmentsSlice {
  environments: Environment[];
  environmentsBusy: Partial<Record<EnvironmentErrorSlot, boolean>>;
  environmentErrors: Partial<Record<EnvironmentErrorSlot, string>>;
  /** The add/edit dialog, open when set. */
  environmentDraft: EnvironmentDraft | null;
  /** The environment waiting for "Remove" to be confirmed. */
  pendingEnvironmentRemove: string | null;

  loadEnvironments(): Promise<void>;
  activateEnvironment(id: string): Promise<boolean>;
  editEnvironment(draft: EnvironmentDraft | null): void;
  saveEnvironment(draft: EnvironmentDraft): Promise<Environment | null>;
  askRemoveEnvironment(id: string | null): void;
  confirmRemoveEnvironment(): Promise<void>;
  clearEnvironmentError(slot: EnvironmentErrorSlot): void;
}

export const createEnvironmentsSlice: SliceCreator<EnvironmentsSlice> = (set, get, api) => {
  const setBusy = (slot: EnvironmentErrorSlot, value: boolean) => set((s) => ({ environmentsBusy: { ...s.environmentsBusy, [slot]: value } }));
  const setError = (slot: EnvironmentErrorSlot, message: string | undefined) =>
    set((s) => ({ environmentErrors: { ...s.environmentErrors, [slot]: message } }));

  /**
   * Everything that belongs to an environment is read again: its runner (catalogue, launch
   * target), its key ring and its profiles. The builder keeps its claims: they are the user's
   * work and stay valid against another runner.
   */
  // Bumped by every switch and removal: an activation answered after a later one (a new
  // environment's ring is generated first, which takes a while) must not bring it back.
  let switches = 0;

  async function environmentChanged(active: Environment) {
    set((s) => ({ info: s.info ? { ...s.info, activeEnvironment: active } : s.info }));
    await Promise.all([get().loadInfo(), get().refreshKeys(), get().environmentSwitched(active)]);
  }

  return {
    environments: [],
    environmentsBusy: {},
    environmentErrors: {},
    environmentDraft: null,
    pendingEnvironmentRemove: null,

    async loadEnvironments() {
      setBusy('list', true);
      try {
        set({ environments: await api.environments.list() });
        setError('list', undefined);
      } catch (err) {
        setError('list', errorMessage(err));
      } finally {
        setBusy('list', false);
      }
    },

    async activateEnvironment(id) {
      if (get().info?.activeEnvironment.id === id) return true;
      const mine = ++switches;
      setBusy('activate', true);
      setError('activate', undefined);
      try {
        const active = await api.environments.activate(id);
        if (mine !== switches) return false;
        await environmentChanged(active);
        return true;
      } catch (err) {
        if (mine === switches) setError('activate', errorMessage(err));
        return false;
      } finally {
        setBusy('activate', false);
      }
    },

    editEnvironment(draft) {
      set({ environmentDraft: draft });
      setError('save', undefined);
    },

    async saveEnvironment(draft) {
      const name = draft.name.trim();
      if (!name) {
        setError('save', 'Give the environment a name.');
        return null;
      }
      let runnerUrl: string;
      try {
        runnerUrl = runnerBaseUrl(draft.runnerUrl);
      } catch (err) {
        setError('save', errorMessage(err));
        return null;
      }
      setBusy('save', true);
      setError('save', undefined);
      try {
        const saved = await api.environments.save({ ...(draft.id ? { id: draft.id } : {}), name, runnerUrl });
        set({ environmentDraft: null });
        await get().loadEnvironments();
        if (!draft.id) {
          // One adds an environment to work with it: the new one (and its fresh ring) takes over.
          // A failed switch shows in its own slot; the environment is saved all the same.
          await get().activateEnvironment(saved.id);
        } else if (get().info?.activeEnvironment.id === saved.id) {
          // Editing the active environment's URL changes where launches go.
          await environmentChanged(saved);
        }
        return saved;
      } catch (err) {
        setError('save', errorMessage(err));
        return null;
      } finally {
        setBusy('save', false);
      }
    },

    askRemoveEnvironment(id) {
      set({ pendingEnvironmentRemove: id });
      setError('remove', undefined);
    },

    async confirmRemoveEnvironment() {
      const id = get().pendingEnvironmentRemove;
      if (!id) return;
      setBusy('remove', true);
      setError('remove', undefined);
      const wasActive = get().info?.activeEnvironment.id === id;
      switches++;
      try {
        await api.environments.remove(id);
        set({ pendingEnvironmentRemove: null });
        await get().loadEnvironments();
        if (wasActive) {
          // The service picks the environment that takes over; app.info says which.
          await get().loadInfo();
          const active = get().info?.activeEnvironment;
          if (active) await environmentChanged(active);
        }
      } catch (err) {
        setError('remove', errorMessage(err));
      } finally {
        setBusy('remove', false);
      }
    },

    clearEnvironmentError: (slot) => setError(slot, undefined),
  };
};
