import type { ConsoleApi } from '../../../shared/api';
import type { AppSlice } from './app-slice';
import type { CatalogueSlice } from './catalogue-slice';
import type { DownstreamSlice } from './downstream-slice';
import type { EnvironmentsSlice } from './environments-slice';
import type { FlushSlice } from './flush-slice';
import type { ForgeSlice } from './forge-slice';
import type { HistorySlice } from './history-slice';
import type { InspectSlice } from './inspect-slice';
import type { KeysSlice } from './keys-slice';
import type { LaunchSlice } from './launch-slice';
import type { RunnerSlice } from './runner-slice';
import type { SessionsSlice } from './sessions-slice';

export type ConsoleState = AppSlice &
  KeysSlice &
  EnvironmentsSlice &
  CatalogueSlice &
  LaunchSlice &
  RunnerSlice &
  HistorySlice &
  SessionsSlice &
  FlushSlice &
  DownstreamSlice &
  InspectSlice &
  ForgeSlice;

type SetState = (partial: Partial<ConsoleState> | ((state: ConsoleState) => Partial<ConsoleState>)) => void;
type GetState = () => ConsoleState;

/** A slice sees the whole store and the one ConsoleApi it talks to. */
export type SliceCreator<T> = (set: SetState, get: GetState, api: ConsoleApi) => T;
