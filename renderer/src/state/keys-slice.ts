import type { GenerateOptions, ImportOptions, ImportReport, ImportText, KeyInfo, LaunchRole, PublicExport } from '../../../shared/api';
import { errorMessage } from './errors';
import type { SliceCreator } from './types';

/** The controls that can fail; each shows its own error next to itself. */
export type KeysErrorSlot = 'list' | 'files' | 'paste' | 'checkout' | 'generate' | 'delete' | 'export' | 'role';
export type ImportSource = 'files' | 'paste' | 'checkout';

export interface ImportOutcome {
  source: ImportSource;
  report: ImportReport;
}

export interface ExportDialogState {
  kid: string;
  data: PublicExport | null;
}

export interface KeysSlice {
  keys: KeyInfo[];
  keysLoaded: boolean;
  busy: Partial<Record<ImportSource | 'generate' | 'delete' | 'export' | 'list' | 'role', boolean>>;
  errors: Partial<Record<KeysErrorSlot, string>>;
  lastImport: ImportOutcome | null;
  /** The kid the last generate or import produced, so the table can point it out. */
  highlightKid: string | null;
  overrides: ImportOptions;
  pendingDelete: string | null;
  exportDialog: ExportDialogState | null;

  refreshKeys(): Promise<void>;
  /** The user's choice of the key that signs launches, or that launches are encrypted to. */
  assignRole(role: LaunchRole, kid: string): Promise<void>;
  setOverride<K extends keyof ImportOptions>(field: K, value: ImportOptions[K]): void;
  clearError(slot: KeysErrorSlot): void;
  /** clientSkipped: files the page would not read (too big, not a key file), reported alongside the service's skips. */
  importTexts(source: 'files' | 'paste', files: ImportText[], clientSkipped?: ImportReport['skipped']): Promise<boolean>;
  importRunnerCheckout(path: string): Promise<boolean>;
  generate(options: GenerateOptions): Promise<KeyInfo | null>;
  askDelete(kid: string | null): void;
  confirmDelete(): Promise<void>;
  openExport(kid: string): Promise<void>;
  closeExport(): void;
}

export const createKeysSlice: SliceCreator<KeysSlice> = (set, get, api) => {
  const setBusy = (key: keyof KeysSlice['busy'], value: boolean) => set((s) => ({ busy: { ...s.busy, [key]: value } }));
  const setError = (slot: KeysErrorSlot, message: string | undefined) => set((s) => ({ errors: { ...s.errors, [slot]: message } }));

  async function runImport(source: ImportSource, call: () => Promise<ImportReport>, clientSkipped: ImportReport['skipped'] = []) {
    setBusy(source, true);
    setError(source, undefined);
    try {
      const fromService = await call();
      const report = { ...fromService, skipped: [...fromService.skipped, ...clientSkipped] };
      set({ lastImport: { source, report }, highlightKid: report.added.at(-1)?.kid ?? report.upgraded.at(-1) ?? null });
      await get().refreshKeys();
      return report.added.length + report.upgraded.length + report.unchanged.length > 0;
    } catch (err) {
      // The service refuses an import that took nothing with its own sentence; show that one.
      // The files the page itself held back still get listed beside it.
      set((s) => ({
        lastImport: clientSkipped.length
          ? { source, report: { added: [], unchanged: [], upgraded: [], skipped: clientSkipped } }
          : s.lastImport?.source === source
            ? null
            : s.lastImport,
      }));
      setError(source, errorMessage(err));
      return false;
    } finally {
      setBusy(source, false);
    }
  }

  /** When the page held back every file, the service is never asked, so the page explains. */
  function refuseLocally(source: ImportSource, clientSkipped: ImportReport['skipped']): false {
    set({ lastImport: { source, report: { added: [], unchanged: [], upgraded: [], skipped: clientSkipped } } });
    const reasons = clientSkipped.map((s) => `${s.name}: ${s.reason}`).join('; ');
    setError(source, reasons ? `Nothing was imported. ${reasons}` : 'Nothing was imported: no key files were found.');
    return false;
  }

  return {
    keys: [],
    keysLoaded: false,
    busy: {},
    errors: {},
    lastImport: null,
    highlightKid: null,
    overrides: {},
    pendingDelete: null,
    exportDialog: null,

    async refreshKeys() {
      setBusy('list', true);
      try {
        const keys = await api.keys.list();
        set({ keys, keysLoaded: true });
        setError('list', undefined);
        // Whether a launch can be minted at all depends on the ring.
        get().recheck();
      } catch (err) {
        setError('list', errorMessage(err));
      } finally {
        setBusy('list', false);
      }
    },

    async assignRole(role, kid) {
      setBusy('role', true);
      setError('role', undefined);
      try {
        set({ keys: await api.keys.assignRole(role, kid), keysLoaded: true });
        get().recheck();
      } catch (err) {
        setError('role', errorMessage(err));
      } finally {
        setBusy('role', false);
      }
    },

    setOverride(field, value) {
      set((s) => ({ overrides: { ...s.overrides, [field]: value || undefined } }));
    },

    clearError: (slot) => setError(slot, undefined),

    importTexts(source, files, clientSkipped = []) {
      const { overrides } = get();
      const options = overrides.purpose || overrides.use ? overrides : undefined;
      if (files.length === 0) return Promise.resolve(refuseLocally(source, clientSkipped));
      return runImport(source, () => api.keys.importTexts(files, options), clientSkipped);
    },

    importRunnerCheckout(path) {
      return runImport('checkout', () => api.keys.importRunnerCheckout(path));
    },

    async generate(options) {
      setBusy('generate', true);
      setError('generate', undefined);
      try {
        const key = await api.keys.generate(options);
        set({ highlightKid: key.kid });
        await get().refreshKeys();
        return key;
      } catch (err) {
        setError('generate', errorMessage(err));
        return null;
      } finally {
        setBusy('generate', false);
      }
    },

    askDelete(kid) {
      set({ pendingDelete: kid });
      setError('delete', undefined);
    },

    async confirmDelete() {
      const kid = get().pendingDelete;
      if (!kid) return;
      setBusy('delete', true);
      setError('delete', undefined);
      try {
        await api.keys.remove(kid);
        set((s) => ({ pendingDelete: null, highlightKid: s.highlightKid === kid ? null : s.highlightKid }));
        await get().refreshKeys();
      } catch (err) {
        setError('delete', errorMessage(err));
      } finally {
        setBusy('delete', false);
      }
    },

    async openExport(kid) {
      set({ exportDialog: { kid, data: null } });
      setError('export', undefined);
      setBusy('export', true);
      try {
        const data = await api.keys.exportPublic(kid);
        // The user may have closed or switched dialogs while this was in flight.
        if (get().exportDialog?.kid === kid) set({ exportDialog: { kid, data } });
      } catch (err) {
        setError('export', errorMessage(err));
      } finally {
        setBusy('export', false);
      }
    },

    closeExport() {
      set({ exportDialog: null });
      setError('export', undefined);
    },
  };
};
