import type { SchemaCatalogue, SchemaPreview, SchemaSource, SchemaSummary } from '../../../shared/launch-types';
import { errorMessage } from './errors';
import type { SliceCreator } from './types';

export type CatalogueSourceKind = SchemaSource['kind'];
export type CatalogueErrorSlot = 'catalogue' | 'preview';

export interface CatalogueSlice {
  sourceKind: CatalogueSourceKind;
  folderPath: string;
  sourceUrl: string;
  catalogue: SchemaCatalogue | null;
  catalogueLoading: boolean;
  catalogueQuery: string;
  preview: SchemaPreview | null;
  /** The file version the user last launched or acknowledged; a higher one means "changed". */
  previewSeenVersion: number;
  previewBusy: boolean;
  catalogueErrors: Partial<Record<CatalogueErrorSlot, string>>;

  setSourceKind(kind: CatalogueSourceKind): void;
  setFolderPath(path: string): void;
  setSourceUrl(url: string): void;
  setCatalogueQuery(query: string): void;
  /** The source as the form describes it, or null when its input is still empty. */
  currentSource(): SchemaSource | null;
  loadCatalogue(): Promise<void>;
  startPreview(path: string): Promise<SchemaPreview | null>;
  /** A schemas.preview event: the preview as it stands now. */
  previewChanged(preview: SchemaPreview): void;
  stopPreview(): Promise<void>;
  acknowledgePreview(): void;
  clearCatalogueError(slot: CatalogueErrorSlot): void;
}

/** Lower-cased text a schema is found by. */
function haystack(s: SchemaSummary): string {
  return [s.title, s.name, s.surveyId, s.formType, s.theme, s.surveyType].filter(Boolean).join(' ').toLowerCase();
}

/** The catalogue filtered by the search words (every word must match), grouped by survey type. */
export function groupSchemas(schemas: readonly SchemaSummary[], query: string): { surveyType: string; schemas: SchemaSummary[] }[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const groups = new Map<string, SchemaSummary[]>();
  for (const s of schemas) {
    if (words.length && !words.every((w) => haystack(s).includes(w))) continue;
    const list = groups.get(s.surveyType) ?? [];
    list.push(s);
    groups.set(s.surveyType, list);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([surveyType, list]) => ({ surveyType, schemas: list.sort((a, b) => a.name.localeCompare(b.name)) }));
}

export const createCatalogueSlice: SliceCreator<CatalogueSlice> = (set, get, api) => {
  const setError = (slot: CatalogueErrorSlot, message: string | undefined) => set((s) => ({ catalogueErrors: { ...s.catalogueErrors, [slot]: message } }));
  // Only the answer to the latest request may land: a slow runner must not overwrite a folder
  // listing the user asked for afterwards.
  let catalogueRequest = 0;

  return {
    sourceKind: 'runner',
    folderPath: '',
    sourceUrl: '',
    catalogue: null,
    catalogueLoading: false,
    catalogueQuery: '',
    preview: null,
    previewSeenVersion: 0,
    previewBusy: false,
    catalogueErrors: {},

    setSourceKind: (sourceKind) => set({ sourceKind }),
    setFolderPath: (folderPath) => set({ folderPath }),
    setSourceUrl: (sourceUrl) => set({ sourceUrl }),
    setCatalogueQuery: (catalogueQuery) => set({ catalogueQuery }),

    currentSource() {
      const { sourceKind, folderPath, sourceUrl, info } = get();
      if (sourceKind === 'runner') return info ? { kind: 'runner', runnerUrl: info.activeEnvironment.runnerUrl } : null;
      if (sourceKind === 'folder') return folderPath.trim() ? { kind: 'folder', path: folderPath.trim() } : null;
      return sourceUrl.trim() ? { kind: 'url', url: sourceUrl.trim() } : null;
    },

    async loadCatalogue() {
      const source = get().currentSource();
      const request = ++catalogueRequest;
      if (!source) {
        set({ catalogue: null, catalogueLoading: false });
        setError('catalogue', get().sourceKind === 'folder' ? 'Type the path of a folder of schema files.' : 'Type the address of a schema or a schema list.');
        return;
      }
      set({ catalogueLoading: true });
      setError('catalogue', undefined);
      try {
        const catalogue = await api.schemas.catalogue(source);
        if (request === catalogueRequest) {
          set({ catalogue });
          // The claims may name a schema only now known, whose metadata then applies.
          get().recheck();
        }
      } catch (err) {
        if (request === catalogueRequest) {
          set({ catalogue: null });
          setError('catalogue', errorMessage(err));
        }
      } finally {
        if (request === catalogueRequest) set({ catalogueLoading: false });
      }
    },

    async startPreview(path) {
      if (!path.trim()) {
        setError('preview', 'Type the path of a schema file on this machine.');
        return null;
      }
      set({ previewBusy: true });
      setError('preview', undefined);
      try {
        const old = get().preview;
        if (old) await api.schemas.previewStop(old.id).catch(() => undefined);
        const preview = await api.schemas.previewStart(path.trim());
        set({ preview, previewSeenVersion: preview.version });
        return preview;
      } catch (err) {
        setError('preview', errorMessage(err));
        return null;
      } finally {
        set({ previewBusy: false });
      }
    },

    previewChanged(preview) {
      // A stopped preview's last news, or another preview's, is not this one's.
      if (get().preview?.id !== preview.id) return;
      set({ preview });
      setError('preview', undefined);
    },

    async stopPreview() {
      const current = get().preview;
      if (!current) return;
      set({ preview: null, previewSeenVersion: 0 });
      setError('preview', undefined);
      try {
        await api.schemas.previewStop(current.id);
      } catch (err) {
        setError('preview', errorMessage(err));
      }
    },

    acknowledgePreview() {
      const preview = get().preview;
      if (preview) set({ previewSeenVersion: preview.version });
    },

    clearCatalogueError: (slot) => setError(slot, undefined),
  };
};
