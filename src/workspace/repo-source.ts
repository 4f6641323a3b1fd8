// Where a repository comes from and how to authenticate to it. Credentials never become part of a
// URL that git stores: a URL's user:password is lifted out here, and the token travels to git
// per command as an http.<origin>.extraHeader set through GIT_CONFIG_* environment variables
// (not argv, which other local users can read in /proc).
import { createHash } from 'node:crypto';
import path from 'node:path';
import { WorkspaceError } from './errors.ts';

export interface RepoSource {
  /** https:// or ssh URL, or a local path to a repository. */
  url: string;
  /** Token for a private https repository, sent as HTTP basic auth. */
  token?: string;
  /**
   * Basic-auth user paired with the token.
   * @defaultValue 'x-access-token' (what GitHub expects with app and personal tokens)
   */
  username?: string;
}

export interface ResolvedSource {
  /** The URL or absolute path git is given and stores: never with credentials. */
  remote: string;
  /** Stable key for the mirror directory. */
  key: string;
  isHttp: boolean;
  credentials?: { username: string; token: string };
}

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;
const SCP_LIKE = /^[\w.-]+@[\w.-]+:/;

export function resolveSource(source: RepoSource): ResolvedSource {
  const raw = source.url.trim();
  if (!raw) throw new WorkspaceError('The repository URL is empty');
  if (raw.startsWith('-')) throw new WorkspaceError(`Invalid repository URL ${JSON.stringify(raw)}`);
  if (SCHEME.test(raw)) {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new WorkspaceError(`Invalid repository URL ${JSON.stringify(raw)}`);
    }
    const isHttp = url.protocol === 'http:' || url.protocol === 'https:';
    let credentials = source.token ? { username: source.username ?? 'x-access-token', token: source.token } : undefined;
    if (isHttp && url.password && !credentials) {
      credentials = { username: decodeURIComponent(url.username) || 'x-access-token', token: decodeURIComponent(url.password) };
    }
    url.username = '';
    url.password = '';
    if (credentials && !isHttp) throw new WorkspaceError(`A token can only be used with an http(s) repository URL, not ${url.protocol}`);
    const remote = url.toString();
    const key = `${url.protocol}//${url.host.toLowerCase()}${url.pathname.replace(/\/+$/, '').replace(/\.git$/, '')}`;
    return { remote, key: hashKey(key), isHttp, ...(credentials ? { credentials } : {}) };
  }
  if (SCP_LIKE.test(raw)) {
    if (source.token) throw new WorkspaceError('A token can only be used with an http(s) repository URL');
    return { remote: raw, key: hashKey(raw.replace(/\/+$/, '').replace(/\.git$/, '')), isHttp: false };
  }
  if (source.token) throw new WorkspaceError('A token can only be used with an http(s) repository URL');
  const abs = path.resolve(raw);
  return { remote: abs, key: hashKey(`file://${abs}`), isHttp: false };
}

function hashKey(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 24);
}

/** GIT_CONFIG_* variables that authenticate requests to this remote's origin only. */
export function credentialEnv(source: ResolvedSource): Record<string, string> {
  if (!source.credentials) return {};
  const origin = new URL(source.remote).origin;
  const basic = Buffer.from(`${source.credentials.username}:${source.credentials.token}`).toString('base64');
  return {
    GIT_CONFIG_COUNT: '2',
    // An empty helper list: no helper may store or supply credentials for these commands.
    GIT_CONFIG_KEY_0: 'credential.helper',
    GIT_CONFIG_VALUE_0: '',
    GIT_CONFIG_KEY_1: `http.${origin}/.extraHeader`,
    GIT_CONFIG_VALUE_1: `Authorization: Basic ${basic}`,
  };
}
