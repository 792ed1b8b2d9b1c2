import os from 'node:os';
import path from 'node:path';

/**
 * The console's configuration folder. EQ_CONSOLE_HOME overrides it (tests, several profiles);
 * otherwise the platform's usual per-user config location, shared by all three front doors.
 */
export function defaultConfigDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.EQ_CONSOLE_HOME) return path.resolve(env.EQ_CONSOLE_HOME);
  if (process.platform === 'win32') return path.join(env.APPDATA ?? path.join(os.homedir(), 'AppData', 'Roaming'), 'eq-console');
  if (process.platform === 'darwin') return path.join(os.homedir(), 'Library', 'Application Support', 'eq-console');
  return path.join(env.XDG_CONFIG_HOME ?? path.join(os.homedir(), '.config'), 'eq-console');
}
