// One zustand store made of slices; the ConsoleApi is passed in, so tests can hand it a fake.
import { createContext, createElement, useContext, type ReactNode } from 'react';
import { createStore, useStore, type StoreApi } from 'zustand';
import type { ConsoleApi } from '../../../shared/api';
import type { ConsoleEvent, ConsoleEvents } from '../../../shared/events';
import { createAppSlice } from './app-slice';
import { createCatalogueSlice } from './catalogue-slice';
import { createDownstreamSlice } from './downstream-slice';
import { createEnvironmentsSlice } from './environments-slice';
import { createFlushSlice } from './flush-slice';
import { createForgeSlice } from './forge-slice';
import { createHistorySlice } from './history-slice';
import { createInspectSlice } from './inspect-slice';
import { createKeysSlice } from './keys-slice';
import { createLaunchSlice } from './launch-slice';
import { createRunnerSlice } from './runner-slice';
import { createSessionsSlice } from './sessions-slice';
import type { ConsoleState } from './types';

export type ConsoleStore = StoreApi<ConsoleState>;

/** The page's API: the contract's operations, and the events the Node side sends (subscribed here, once). */
export function createConsoleStore(api: ConsoleApi & ConsoleEvents): ConsoleStore {
  const store = createStore<ConsoleState>()((set, get) => ({
    ...createAppSlice(set, get, api),
    ...createKeysSlice(set, get, api),
    ...createEnvironmentsSlice(set, get, api),
    ...createCatalogueSlice(set, get, api),
    ...createLaunchSlice(set, get, api),
    ...createRunnerSlice(set, get, api),
    ...createHistorySlice(set, get, api),
    ...createSessionsSlice(set, get, api),
    ...createFlushSlice(set, get, api),
    ...createDownstreamSlice(set, get, api),
    ...createInspectSlice(set, get, api),
    ...createForgeSlice(set, get, api),
  }));
  api.onEvent((event) => receive(store.getState(), event));
  return store;
}

/** Each event to the slice it concerns. */
function receive(state: ConsoleState, event: ConsoleEvent): void {
  switch (event.type) {
    case 'flush.progress':
      return state.flushProgressed(event);
    case 'downstream.watch':
      return state.watchReported(event.watch);
    case 'schemas.preview':
      return state.previewChanged(event.preview);
    case 'sessions.changed':
      return state.sessionsChanged(event.sessions);
  }
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
