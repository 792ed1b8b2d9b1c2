import type { HistoryEntry, Profile, RunnerAnswer } from '../../../shared/launch-types';
import { errorMessage } from './errors';
import type { SliceCreator } from './types';

export type HistoryErrorSlot = 'history' | 'historyRow' | 'clear' | 'profiles' | 'profileSave' | 'profileRow';

export interface HistorySlice {
  history: HistoryEntry[];
  historyLoaded: boolean;
  profiles: Profile[];
  profilesLoaded: boolean;
  confirmClearHistory: boolean;
  historyBusy: Partial<Record<HistoryErrorSlot, boolean>>;
  historyErrors: Partial<Record<HistoryErrorSlot, string>>;

  loadHistory(): Promise<void>;
  /**
   * The runner's first answer to a launch, as an embedded session reports it: after the launch
   * call returned, so the history read then lacks it.
   */
  historyAnswered(historyId: string, answer: RunnerAnswer): Promise<void>;
  removeHistory(id: string): Promise<void>;
  askClearHistory(open: boolean): void;
  clearHistory(): Promise<void>;
  loadProfiles(): Promise<void>;
  /** Saves the builder as it stands under this name (replacing a profile of the same name). */
  saveProfile(name: string): Promise<Profile | null>;
  removeProfile(id: string): Promise<void>;
  clearHistoryError(slot: HistoryErrorSlot): void;
}

export const createHistorySlice: SliceCreator<HistorySlice> = (set, get, api) => {
  const setBusy = (slot: HistoryErrorSlot, value: boolean) => set((s) => ({ historyBusy: { ...s.historyBusy, [slot]: value } }));
  const setError = (slot: HistoryErrorSlot, message: string | undefined) => set((s) => ({ historyErrors: { ...s.historyErrors, [slot]: message } }));
  // Kept so that a history read that raced the host's recording of an answer cannot hide it again.
  const answers = new Map<string, RunnerAnswer>();
  const withAnswers = (history: HistoryEntry[]) =>
    answers.size ? history.map((h) => (!h.answer && answers.has(h.id) ? { ...h, answer: answers.get(h.id) } : h)) : history;

  return {
    history: [],
    historyLoaded: false,
    profiles: [],
    profilesLoaded: false,
    confirmClearHistory: false,
    historyBusy: {},
    historyErrors: {},

    async loadHistory() {
      try {
        // Newest first, whatever order the store keeps.
        const history = [...(await api.history.list())].sort((a, b) => b.at.localeCompare(a.at));
        set({ history: withAnswers(history), historyLoaded: true });
        setError('history', undefined);
      } catch (err) {
        setError('history', errorMessage(err));
      }
    },

    async historyAnswered(historyId, answer) {
      answers.set(historyId, answer);
      // Not listed yet (the read after the launch is still out, or never happened): read it.
      if (!get().history.some((h) => h.id === historyId)) return get().loadHistory();
      set((s) => ({ history: withAnswers(s.history) }));
    },

    async removeHistory(id) {
      setError('historyRow', undefined);
      try {
        await api.history.remove(id);
        set((s) => ({ history: s.history.filter((h) => h.id !== id) }));
      } catch (err) {
        setError('historyRow', errorMessage(err));
      }
    },

    askClearHistory(open) {
      set({ confirmClearHistory: open });
      setError('clear', undefined);
    },

    async clearHistory() {
      setBusy('clear', true);
      setError('clear', undefined);
      try {
        await api.history.clear();
        answers.clear();
        set({ history: [], confirmClearHistory: false });
      } catch (err) {
        setError('clear', errorMessage(err));
      } finally {
        setBusy('clear', false);
      }
    },

    async loadProfiles() {
      try {
        const profiles = [...(await api.profiles.list())].sort((a, b) => a.name.localeCompare(b.name));
        set({ profiles, profilesLoaded: true });
        setError('profiles', undefined);
      } catch (err) {
        setError('profiles', errorMessage(err));
      }
    },

    async saveProfile(name) {
      const trimmed = name.trim();
      if (!trimmed) {
        setError('profileSave', 'Give the profile a name.');
        return null;
      }
      const { payload, claims, schema, schemaSource } = get();
      const existing = get().profiles.find((p) => p.name === trimmed);
      setBusy('profileSave', true);
      setError('profileSave', undefined);
      try {
        const profile = await api.profiles.save({
          ...(existing ? { id: existing.id } : {}),
          name: trimmed,
          payload,
          ...(schema && schemaSource ? { schema: { source: schemaSource, name: schema.name } } : {}),
          claims,
        });
        await get().loadProfiles();
        return profile;
      } catch (err) {
        setError('profileSave', errorMessage(err));
        return null;
      } finally {
        setBusy('profileSave', false);
      }
    },

    async removeProfile(id) {
      setError('profileRow', undefined);
      try {
        await api.profiles.remove(id);
        set((s) => ({ profiles: s.profiles.filter((p) => p.id !== id) }));
      } catch (err) {
        setError('profileRow', errorMessage(err));
      }
    },

    clearHistoryError: (slot) => setError(slot, undefined),
  };
};
