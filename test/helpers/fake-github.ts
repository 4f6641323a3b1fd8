// A local GitHub REST API for tests: a real HTTP server on 127.0.0.1 speaking the endpoints tracefix
// uses, with real state (fake-github/state.ts: git objects under their real SHA-1, branches, pulls,
// issues, comments, labels). Every request is matched to its operation in GitHub's OpenAPI
// description and checked against it (fake-github/openapi.ts); a request that does not conform is
// answered 422 and recorded in `violations`, which tests assert empty.
// Auth as on api.github.com: `Bearer <token>` for TRACEFIX_GITHUB_TOKEN-style tokens (with
// fine-grained permissions when given), an App's RS256 JWT for /app and /repos/…/installation, and
// installation tokens the fake issues (one hour, scoped to the repositories asked for).
//   GET /repos/{owner}/{repo}/collaborators/{username}/permission keeps its legacy answer
// (maintain → write, triage → read) for the intake's sender-trust check.
//   A pull request's files (GET …/pulls/{n}/files) are the three-dot diff of its git objects, and
// a review (POST …/pulls/{n}/reviews) is refused when a comment sits outside that diff
// (fake-github/pull-files.ts); tests open pulls with `state.openPull`.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { matchOperation } from './fake-github/openapi.ts';
import { FakeGithubState } from './fake-github/state.ts';
import { authorize, issuedTokens, type AuthOptions, type Caller } from './fake-github/auth.ts';
import { serveGitHttp } from './git-http-server.ts';
import { handle, type Reply } from './fake-github/routes.ts';
import { FakeOAuth, type FakeOAuthOptions } from './fake-github/oauth.ts';

export type RepoRole = 'admin' | 'maintain' | 'write' | 'triage' | 'read' | 'none';
export type { Permission } from './fake-github/auth.ts';

export interface FakeGithubOptions extends AuthOptions {
  /** `owner/repo` → login → role, for the collaborator permission endpoint. */
  repos?: Record<string, Record<string, RepoRole>>;
  /** REST under this prefix, as GitHub Enterprise Server serves it (`/api/v3`). */
  apiPrefix?: string;
  /** Serves `/<owner>/<repo>.git/…` over smart HTTP from bare repositories under this directory,
   * for the token (as basic-auth password), as a private repository on GitHub does. */
  gitProjectRoot?: string;
  /** An OAuth App: `/login/oauth/*` at the web root (outside apiPrefix), and `GET /user` and the
   * org/team membership endpoints for the tokens it issues (fake-github/oauth.ts). */
  oauth?: FakeOAuthOptions;
}

export interface InjectedFailure {
  method: string;
  path: RegExp;
  status: number;
  headers?: Record<string, string>;
  body: unknown;
  /** How many matching requests fail. @defaultValue 1 */
  times?: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: string;
  authorization: string | undefined;
  apiVersion: string | undefined;
  body: string;
  status: number;
  at: number;
}

export interface FakeGithub {
  url: string;
  state: FakeGithubState;
  requests: RecordedRequest[];
  /** Requests that did not conform to GitHub's OpenAPI description. */
  violations: string[];
  inject(failure: InjectedFailure): void;
  /** The OAuth App, when `oauth` was given: set `signedInAs` to choose who consents. */
  oauth: FakeOAuth | undefined;
  /** The web root (`/login/oauth/*`), which GitHub Enterprise Server serves above `/api/v3`. */
  webUrl: string;
  close(): Promise<void>;
}

export async function startFakeGithub(options: FakeGithubOptions): Promise<FakeGithub> {
  const state = new FakeGithubState();
  const requests: RecordedRequest[] = [];
  const violations: string[] = [];
  const failures: (InjectedFailure & { left: number })[] = [];
  const oauth = options.oauth ? new FakeOAuth(options.oauth) : undefined;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const gitPath = /^\/[^/]+\/[^/]+\.git\//.test(new URL(req.url ?? '/', 'http://localhost').pathname);
    if (options.gitProjectRoot && gitPath) {
      const basic = /^Basic (.+)$/i.exec(req.headers.authorization ?? '');
      const password = basic ? Buffer.from(basic[1]!, 'base64').toString('utf8').split(':').slice(1).join(':') : '';
      if (!password || (password !== options.token && !issuedTokens.has(password))) {
        res.writeHead(401, { 'www-authenticate': 'Basic realm="GitHub"' });
        res.end();
        return;
      }
      serveGitHttp(req, res, options.gitProjectRoot, 'x-access-token');
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (oauth && url.pathname.startsWith('/login/oauth/')) {
        const raw = Buffer.concat(chunks).toString('utf8');
        requests.push({ method: req.method ?? '', path: url.pathname, query: url.search, authorization: undefined, apiVersion: undefined, body: '', status: 0, at: Date.now() });
        const reply =
          req.method === 'GET' && url.pathname === '/login/oauth/authorize'
            ? oauth.authorize(url.searchParams)
            : req.method === 'POST' && url.pathname === '/login/oauth/access_token'
              ? oauth.accessToken(raw, String(req.headers['content-type'] ?? ''), String(req.headers.accept ?? ''), req.headers.authorization)
              : { status: 404, headers: {}, body: { message: 'Not Found' }, raw: undefined };
        requests.at(-1)!.status = reply.status;
        res.writeHead(reply.status, { 'content-type': 'application/json; charset=utf-8', ...reply.headers });
        res.end(reply.raw ?? (reply.body === undefined ? '' : JSON.stringify(reply.body)));
        return;
      }
      if (options.apiPrefix) {
        if (!url.pathname.startsWith(`${options.apiPrefix}/`)) {
          res.writeHead(404).end();
          return;
        }
        url.pathname = url.pathname.slice(options.apiPrefix.length);
      }
      const raw = Buffer.concat(chunks).toString('utf8');
      const apiVersion = req.headers['x-github-api-version'];
      const record: RecordedRequest = {
        method: req.method ?? '',
        path: url.pathname,
        query: url.search,
        authorization: req.headers.authorization,
        apiVersion: typeof apiVersion === 'string' ? apiVersion : undefined,
        body: raw,
        status: 0,
        at: Date.now(),
      };
      requests.push(record);
      const send = (reply: Reply) => {
        record.status = reply.status;
        res.writeHead(reply.status, { 'content-type': 'application/json; charset=utf-8', ...reply.headers });
        res.end(reply.body === undefined ? '' : JSON.stringify(reply.body));
      };
      const error = (status: number, message: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}): Reply => ({
        status,
        headers,
        body: { message, documentation_url: 'https://docs.github.com/rest', status: String(status), ...extra },
      });
      let body: unknown;
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        return send(error(400, 'Problems parsing JSON'));
      }
      const op = matchOperation(record.method, url.pathname, url.searchParams, body, raw.length > 0);
      if (!op) return send(error(404, 'Not Found'));
      if (op.problems.length > 0) {
        violations.push(`${record.method} ${url.pathname}: ${op.problems.join('; ')}`);
        return send(error(422, 'Invalid request.', { errors: op.problems }));
      }
      if (oauth?.handles(op)) return send(oauth.rest(op, req.headers.authorization, `http://${req.headers.host}`));
      const caller: Caller | Reply = authorize(options, req.headers.authorization, op, state);
      if ('status' in caller) return send(caller);
      const injected = failures.find((f) => f.left > 0 && f.method === record.method && f.path.test(url.pathname));
      if (injected) {
        injected.left--;
        return send({ status: injected.status, headers: injected.headers ?? {}, body: injected.body });
      }
      try {
        const absolute = new URL(`${options.apiPrefix ?? ''}${url.pathname}${url.search}`, `http://${req.headers.host}`);
        send(handle({ state, op, query: url.searchParams, body, caller, baseUrl: `http://${req.headers.host}`, url: absolute, collaborators: options.repos ?? {}, auth: options }));
      } catch (e) {
        send(error(500, `fake GitHub failed: ${(e as Error).message}`));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${options.apiPrefix ?? ''}`,
    state,
    requests,
    violations,
    inject: (failure) => failures.push({ ...failure, left: failure.times ?? 1 }),
    oauth,
    webUrl: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
