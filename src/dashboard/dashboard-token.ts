// The dashboard token when TRACEFIX_DASHBOARD_TOKEN is unset: generated once into the data
// directory (mode 0600) and reused on later starts, so the dashboard is never served without
// authentication. The sign-in URL is printed once, when the token is created, the way notebook
// servers do; the token travels in the URL's fragment, which browsers never send to the server, so
// it reaches no access log or proxy (the login page's script moves it into the form).
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config.ts';

export const TOKEN_FILE = 'dashboard-token';

export interface ResolvedToken {
  token: string;
  /** Where it came from: the environment, the data directory, or created just now. */
  origin: 'environment' | 'data-dir' | 'generated';
  file?: string;
}

export async function resolveDashboardToken(config: Config): Promise<ResolvedToken> {
  if (config.dashboard.token) return { token: config.dashboard.token, origin: 'environment' };
  const file = path.join(config.dataDir, TOKEN_FILE);
  try {
    const existing = (await readFile(file, 'utf8')).trim();
    if (existing.length >= 16) return { token: existing, origin: 'data-dir', file };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const token = randomBytes(32).toString('base64url');
  // 'wx': two processes starting at once cannot overwrite each other's token.
  try {
    await writeFile(file, `${token}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return resolveDashboardToken(config);
    throw error;
  }
  return { token, origin: 'generated', file };
}

/** `http://127.0.0.1:8080/login#token=…`: the address to open once. */
export function signInUrl(config: Pick<Config, 'host' | 'port'>, port: number, token: string): string {
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  const shown = host.includes(':') ? `[${host}]` : host;
  return `http://${shown}:${port}/login#token=${encodeURIComponent(token)}`;
}
