// One zustand store made of slices; the ConsoleApi is passed in, so tests can hand it a fake.
import { createContext, createElement, useContext, type ReactNode } from 'react';
import { createStore, useStore, type StoreApi } from 'zustand';
import type { ConsoleApi } from '../../../shared/api';
import { createAppSlice } from './app-slice';
import { createCatalogueSlice } from './catalogue-slice';
import { createDownstreamSlice } from './downstream-slice';
import { createEnvironmentsSlice } from './environments-slice';
import { createFlushSlice } from './flush-slice';
import { createHistorySlice } from './history-slice';
import { createInspectSlice } from './inspect-slice';
import { createKeysSlice } from './keys-slice';
import { createLaunchSlice } from './launch-slice';
import { createSessionsSlice } from './sessions-slice';
import type { ConsoleState } from './types';

export type ConsoleStore = StoreApi<ConsoleState>;

export function createConsoleStore(api: ConsoleApi): ConsoleStore {
  return createStore<ConsoleState>()((set, get) => ({
    ...createAppSlice(set, get, api),
    ...createKeysSlice(set, get, api),
    ...createEnvironmentsSlice(set, get, api),
    ...createCatalogueSlice(set, get, api),
    ...createLaunchSlice(set, get, api),
    ...createHistorySlice(set, get, api),
    ...createSessionsSlice(set, get, api),
    ...createFlushSlice(set, get, api),
    ...createDownstreamSlice(set, get, api),
    ...createInspectSlice(set, get, api),
  }));
}

const StoreContext = createContext<ConsoleStore | null>(null);

export function StoreProvider({ store, children }: { store: ConsoleStore; children: ReactNode }) {
  return createElement(StoreContext.Provider, { value: store }, children);
}

export function useConsole<T>(selector: (state: ConsoleState) => T): T {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useConsole must be used inside <StoreProvider>');
  return useStore(store, selector);
}

export type { ConsoleState } from './types';
