// A local GitHub REST API for tests: a real HTTP server on 127.0.0.1 answering
//   GET /repos/{owner}/{repo}/collaborators/{username}/permission
// as api.github.com does: 401 "Bad credentials" for a wrong token, 404 for an unknown repo or a
// user who is not a collaborator, else `{permission, role_name, user}` where `permission` is the
// legacy base role (maintain → write, triage → read).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type RepoRole = 'admin' | 'maintain' | 'write' | 'triage' | 'read' | 'none';

export interface FakeGithubOptions {
  token: string;
  /** `owner/repo` → login → role. */
  repos: Record<string, Record<string, RepoRole>>;
}

export interface FakeGithub {
  url: string;
  requests: { method: string; path: string; authorization: string | undefined; apiVersion: string | undefined }[];
  close(): Promise<void>;
}

const LEGACY: Record<RepoRole, string> = { admin: 'admin', maintain: 'write', write: 'write', triage: 'read', read: 'read', none: 'none' };
const PERMISSION_PATH = /^\/repos\/([^/]+)\/([^/]+)\/collaborators\/([^/]+)\/permission$/;

export async function startFakeGithub(options: FakeGithubOptions): Promise<FakeGithub> {
  const requests: FakeGithub['requests'] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const apiVersion = req.headers['x-github-api-version'];
    requests.push({ method: req.method ?? '', path, authorization: req.headers.authorization, apiVersion: typeof apiVersion === 'string' ? apiVersion : undefined });
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(body));
    };
    const auth = req.headers.authorization ?? '';
    if (auth !== `Bearer ${options.token}` && auth !== `token ${options.token}`) {
      return send(401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest', status: '401' });
    }
    const m = PERMISSION_PATH.exec(path);
    const notFound = { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' };
    if (req.method !== 'GET' || !m) return send(404, notFound);
    const [, owner, repo, login] = m.map((part) => decodeURIComponent(part ?? ''));
    const members = options.repos[`${owner}/${repo}`];
    const role = members?.[login ?? ''];
    if (!members || !role) return send(404, notFound);
    return send(200, {
      permission: LEGACY[role],
      role_name: role,
      user: { login, id: 1, type: 'User', site_admin: false, role_name: role },
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
