// The two halves every front door shares: a client that builds ConsoleApi from one
// invoke(channel, args) function, and a dispatcher that runs a channel on the services.
import { CHANNELS, type Channel, type ConsoleApi, isChannel } from './api';
import { checkArgs } from './contract-schemas';
import { ConsoleError, type Envelope, fromWireError, toWireError } from './errors';

export type Invoke = (channel: Channel, args: unknown[]) => Promise<Envelope<unknown>>;

export function createApiClient(invoke: Invoke): ConsoleApi {
  const api: Record<string, Record<string, (...args: unknown[]) => Promise<unknown>>> = {};
  for (const channel of CHANNELS) {
    const [group, method] = channel.split('.') as [string, string];
    api[group] ??= {};
    api[group][method] = async (...args: unknown[]) => {
      const envelope = await invoke(channel, args);
      if (!envelope.ok) throw fromWireError(envelope.error);
      return envelope.value;
    };
  }
  return api as unknown as ConsoleApi;
}

export async function dispatch(api: ConsoleApi, channel: unknown, args: unknown): Promise<Envelope<unknown>> {
  try {
    if (!isChannel(channel)) throw new ConsoleError('bad-input', `Unknown operation: ${String(channel)}`);
    if (!Array.isArray(args)) throw new ConsoleError('bad-input', `Arguments for ${channel} must be a list`);
    const [group, method] = channel.split('.') as [keyof ConsoleApi, string];
    const fn = (api[group] as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[method];
    const value = await fn!(...checkArgs(channel, args));
    return { ok: true, value: value ?? null };
  } catch (err) {
    return { ok: false, error: toWireError(err) };
  }
}
