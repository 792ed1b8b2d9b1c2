// "Make a broken token" on the Launch screen: which kind, and what the service made of the
// builder's launch. The breaking itself happens on the Node side, where the keys are.
import { FORGE_KINDS, type ForgeKind, type ForgeResult } from '../../../shared/launch/forge-kinds';
import { errorMessage } from './errors';
import type { SliceCreator } from './types';

export interface ForgeSlice {
  forgeKind: ForgeKind;
  forgeBusy: boolean;
  /** The last broken token(s) made, for the kind they were made as. */
  forgeResult: ForgeResult | null;
  forgeError: string | null;
  setForgeKind(kind: ForgeKind): void;
  /** Breaks the builder's launch (a fresh copy: the builder's own jti is not spent). */
  makeBrokenToken(): Promise<ForgeResult | null>;
  clearForgeError(): void;
}

export const createForgeSlice: SliceCreator<ForgeSlice> = (set, get, api) => {
  // Only the newest request's answer is shown.
  let latest = 0;
  return {
    forgeKind: FORGE_KINDS[0].kind,
    forgeBusy: false,
    forgeResult: null,
    forgeError: null,
    setForgeKind: (kind) => set({ forgeKind: kind, forgeResult: null, forgeError: null }),
    clearForgeError: () => set({ forgeError: null }),
    async makeBrokenToken() {
      const { forgeKind, claims, schema, info } = get();
      const request = ++latest;
      set({ forgeBusy: true, forgeError: null, forgeResult: null });
      try {
        const result = await api.launch.forge({
          kind: forgeKind,
          claims,
          ...(schema ? { schema } : {}),
          ...(info ? { runnerUrl: info.activeEnvironment.runnerUrl } : {}),
        });
        if (request === latest) set({ forgeResult: result, forgeBusy: false });
        return result;
      } catch (err) {
        if (request === latest) set({ forgeError: errorMessage(err), forgeBusy: false });
        return null;
      }
    },
  };
};
