// A local Sentry REST API for tests: a real HTTP server on 127.0.0.1 that answers the issue
// event endpoints the way sentry.io does (bearer token, JSON `{"detail": …}` errors, the
// EventSerializer body). Serves:
//   GET /api/0/issues/{issue_id}/events/{latest|oldest|recommended}/
//   GET /api/0/organizations/{org}/issues/{issue_id}/events/{latest|oldest|recommended}/
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeSentryOptions {
  token: string;
  /** Organization slug accepted on the organization-scoped path. */
  org: string;
  /** issue id → the API event returned as its latest event. */
  events: Record<string, unknown>;
}

export interface FakeSentry {
  url: string;
  requests: { method: string; path: string; authorization: string | undefined }[];
  close(): Promise<void>;
}

const EVENT_PATH = /^\/api\/0\/(?:organizations\/([^/]+)\/)?issues\/([^/]+)\/events\/(latest|oldest|recommended)\/?$/;

export async function startFakeSentry(options: FakeSentryOptions): Promise<FakeSentry> {
  const requests: FakeSentry['requests'] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    requests.push({ method: req.method ?? '', path, authorization: req.headers.authorization });
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.headers.authorization !== `Bearer ${options.token}`) return send(401, { detail: 'Invalid token' });
    const m = EVENT_PATH.exec(path);
    if (req.method !== 'GET' || !m) return send(404, { detail: 'The requested resource does not exist' });
    const [, org, issueId] = m;
    if (org !== undefined && org !== options.org) return send(404, { detail: 'The requested resource does not exist' });
    const event = options.events[issueId ?? ''];
    if (event === undefined) return send(404, { detail: 'The requested resource does not exist' });
    return send(200, event);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
