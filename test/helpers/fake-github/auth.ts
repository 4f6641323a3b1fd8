// Who is calling the fake GitHub and what they may do: a token (all permissions unless given
// fine-grained ones), a GitHub App (RS256 JWT, checked with the App's public key), or an
// installation token the fake issued (scoped to its repositories, expiring after an hour).
// Refusals look like GitHub's: 401 "Bad credentials", 404 for a repository the caller cannot see,
// 403 "Resource not accessible by integration" with the x-accepted-github-permissions header.
import { createVerify, randomBytes } from 'node:crypto';
import type { MatchedOperation } from './openapi.ts';
import type { FakeGithubState } from './state.ts';

export type Permission = 'contents' | 'pull_requests' | 'issues' | 'metadata';
export type Level = 'read' | 'write' | 'none';
type Permissions = Record<Permission, Level>;

export interface AuthOptions {
  /** A personal access token (or any token GitHub accepts as Bearer). */
  token?: string;
  /** Fine-grained permissions of `token`; absent: all write. */
  tokenPermissions?: Partial<Permissions>;
  app?: {
    id: string;
    publicKey: string;
    /** `owner/repo` → its installation. */
    installations: Record<string, { id: number; permissions?: Partial<Permissions> }>;
  };
}

export interface Caller {
  kind: 'token' | 'app' | 'installation';
  login: string;
  permissions: Permissions;
  /** Lower-case `owner/repo` the caller may see; undefined: any. */
  repos?: string[];
}

export interface IssuedToken {
  token: string;
  installationId: number;
  repos: string[];
  permissions: Permissions;
  expiresAt: number;
}

const ALL: Permissions = { contents: 'write', pull_requests: 'write', issues: 'write', metadata: 'read' };
const RANK: Record<Level, number> = { none: 0, read: 1, write: 2 };
export const issuedTokens = new Map<string, IssuedToken>();

type Reply = { status: number; headers: Record<string, string>; body: unknown };
const refuse = (status: number, message: string, headers: Record<string, string> = {}): Reply => ({
  status,
  headers,
  body: { message, documentation_url: 'https://docs.github.com/rest', status: String(status) },
});

function verifyJwt(jwt: string, publicKey: string, appId: string): boolean {
  const [header, payload, signature] = jwt.split('.');
  if (!header || !payload || !signature) return false;
  const ok = createVerify('RSA-SHA256').update(`${header}.${payload}`).verify(publicKey, Buffer.from(signature, 'base64url'));
  if (!ok) return false;
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { iss?: unknown; exp?: number };
  return String(claims.iss) === appId && typeof claims.exp === 'number' && claims.exp * 1000 > Date.now();
}

/** The permission an operation needs, or 'jwt' for the App's own endpoints. */
function needs(op: MatchedOperation): { permission: Permission; level: Level; alsoOk?: Permission } | 'jwt' {
  const t = op.template;
  const write = op.method !== 'get';
  if (t.startsWith('/app/') || t === '/repos/{owner}/{repo}/installation') return 'jwt';
  if (t === '/repos/{owner}/{repo}' || t.includes('/collaborators/')) return { permission: 'metadata', level: 'read' };
  if (t.includes('/git/') || t.includes('/contents/')) return { permission: 'contents', level: write ? 'write' : 'read' };
  if (t.includes('/pulls')) return { permission: 'pull_requests', level: write ? 'write' : 'read' };
  // Labels of a PR: GitHub accepts either permission.
  if (t.endsWith('/labels')) return { permission: 'issues', level: 'write', alsoOk: 'pull_requests' };
  return { permission: 'issues', level: write ? 'write' : 'read' };
}

export function authorize(options: AuthOptions, header: string | undefined, op: MatchedOperation, state: FakeGithubState): Caller | Reply {
  const credential = (header ?? '').replace(/^(Bearer|token) /i, '');
  const need = needs(op);
  let caller: Caller | undefined;
  if (options.app && credential.split('.').length === 3 && verifyJwt(credential, options.app.publicKey, options.app.id)) {
    if (need !== 'jwt') return refuse(401, 'A JSON web token could not be decoded');
    return { kind: 'app', login: `app-${options.app.id}`, permissions: ALL };
  }
  if (need === 'jwt') return refuse(401, 'A JSON web token could not be decoded');
  const issued = issuedTokens.get(credential);
  if (issued && issued.expiresAt > Date.now()) caller = { kind: 'installation', login: 'tracefix[bot]', permissions: issued.permissions, repos: issued.repos };
  else if (options.token && credential === options.token) caller = { kind: 'token', login: 'octo-user', permissions: { ...ALL, ...options.tokenPermissions } };
  if (!caller) return refuse(401, 'Bad credentials');
  const full = op.params.owner && op.params.repo ? `${op.params.owner}/${op.params.repo}`.toLowerCase() : undefined;
  if (full && (!state.repo(full) || (caller.repos && !caller.repos.includes(full)))) {
    // The collaborator endpoint predates this fake's state: its repositories need no import.
    if (!op.template.includes('/collaborators/')) return refuse(404, 'Not Found');
  }
  const has = (p: Permission) => RANK[caller.permissions[p]] >= RANK[need.level];
  if (!has(need.permission) && !(need.alsoOk && has(need.alsoOk))) {
    if (need.level === 'read' && caller.permissions[need.permission] === 'none') return refuse(404, 'Not Found');
    const who = caller.kind === 'installation' ? 'integration' : 'personal access token';
    return refuse(403, `Resource not accessible by ${who}`, { 'x-accepted-github-permissions': `${need.permission}=${need.level}` });
  }
  return caller;
}

/** POST /app/installations/{id}/access_tokens: a token for the installation's repositories. */
export function issueToken(options: AuthOptions, installationId: number, repositories: string[] | undefined): IssuedToken | undefined {
  const entries = Object.entries(options.app?.installations ?? {}).filter(([, i]) => i.id === installationId);
  if (entries.length === 0) return undefined;
  const all = entries.map(([full]) => full.toLowerCase());
  const repos = repositories ? all.filter((full) => repositories.map((r) => r.toLowerCase()).includes(full.split('/')[1]!)) : all;
  const token: IssuedToken = {
    token: `ghs_${randomBytes(18).toString('base64url')}`,
    installationId,
    repos,
    permissions: { ...ALL, ...entries[0]![1].permissions },
    expiresAt: Date.now() + 3600_000,
  };
  issuedTokens.set(token.token, token);
  return token;
}
