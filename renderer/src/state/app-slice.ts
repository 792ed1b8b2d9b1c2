import type { AppInfo } from '../../../shared/api';
import { errorMessage } from './errors';
import type { SliceCreator } from './types';

export const SCREENS = [
  { id: 'keys', label: 'Keys' },
  { id: 'launch', label: 'Launch' },
  { id: 'flush', label: 'Flush' },
  { id: 'downstream', label: 'Downstream' },
  { id: 'inspect', label: 'Inspect' },
] as const;

export type ScreenId = (typeof SCREENS)[number]['id'];

export interface AppSlice {
  info: AppInfo | null;
  infoError: string | null;
  screen: ScreenId;
  setScreen(screen: ScreenId): void;
  loadInfo(): Promise<void>;
}

export const createAppSlice: SliceCreator<AppSlice> = (set, _get, api) => {
  // Only the latest answer may land: one asked before an environment was switched or removed can
  // arrive after, and would bring the old environment back into the header.
  let request = 0;
  return {
    info: null,
    infoError: null,
    screen: 'keys',
    setScreen: (screen) => set({ screen }),
    async loadInfo() {
      const mine = ++request;
      try {
        const info = await api.app.info();
        if (mine === request) set({ info, infoError: null });
      } catch (err) {
        if (mine === request) set({ infoError: errorMessage(err) });
      }
    },
  };
};
