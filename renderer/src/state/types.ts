import type { ConsoleApi } from '../../../shared/api';
import type { AppSlice } from './app-slice';
import type { KeysSlice } from './keys-slice';

export type ConsoleState = AppSlice & KeysSlice;

type SetState = (partial: Partial<ConsoleState> | ((state: ConsoleState) => Partial<ConsoleState>)) => void;
type GetState = () => ConsoleState;

/** A slice sees the whole store and the one ConsoleApi it talks to. */
export type SliceCreator<T> = (set: SetState, get: GetState, api: ConsoleApi) => T;
