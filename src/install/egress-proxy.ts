// The one way out of the sandbox for `install.network: proxy`: an HTTP forward proxy on a Unix
// socket in the workspace, served by tracefix on the host while the install command runs, and
// closed before anything else runs. The sandbox keeps network `none` (no interface but its own
// loopback); a relay inside it (sandbox-relay.ts) turns 127.0.0.1:3128 into this socket. The proxy
// allows only the configured registries: `CONNECT host:port` when an https registry lives at that
// host and port, and plain-HTTP requests whose URL is under an http registry's prefix. Everything
// else gets 403 and is recorded. No credential is added: a private registry's token never crosses
// into the sandbox (the host-side fetch is the path for those).
import { randomBytes } from 'node:crypto';
import { chmod, rm } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { InstallError } from './errors.ts';
import { registryPrefix } from './policy.ts';

export interface EgressProxy {
  /** Host path of the socket (inside the workspace). */
  socketPath: string;
  /** Socket path as the sandbox sees it. */
  sandboxPath: string;
  /** Requests let through (`CONNECT registry.npmjs.org:443`, `GET http://…`). */
  allowed: string[];
  /** Requests refused. */
  denied: string[];
  close(): Promise<void>;
}

/** Longest Unix socket path Linux accepts (sun_path is 108 bytes with its NUL). */
const SUN_PATH_MAX = 107;

function allowlist(registries: readonly string[]): { prefixes: string[]; tunnels: Set<string> } {
  const prefixes: string[] = [];
  const tunnels = new Set<string>();
  for (const r of registries) {
    const prefix = registryPrefix(r);
    if (!prefix) continue;
    const url = new URL(prefix);
    if (url.protocol === 'https:') tunnels.add(`${url.hostname}:${url.port || '443'}`);
    else prefixes.push(prefix);
  }
  return { prefixes, tunnels };
}

/** Starts the proxy on `<workspaceDir>/<name>`; the sandbox mounts the workspace at `sandboxWorkspace`. */
export async function startEgressProxy(input: { workspaceDir: string; sandboxWorkspace: string; registries: readonly string[] }): Promise<EgressProxy> {
  const name = `.tracefix-egress-${randomBytes(4).toString('hex')}.sock`;
  const socketPath = path.join(input.workspaceDir, name);
  if (Buffer.byteLength(socketPath) > SUN_PATH_MAX) {
    throw new InstallError(`install.network: proxy needs a Unix socket in the workspace, and ${socketPath} is longer than ${SUN_PATH_MAX} bytes: use a shorter TRACEFIX_DATA_DIR`);
  }
  const { prefixes, tunnels } = allowlist(input.registries);
  if (prefixes.length === 0 && tunnels.size === 0) {
    throw new InstallError('install.network: proxy allows only install.registries, and none is an http(s) registry: list the registries the install command needs');
  }
  const allowed: string[] = [];
  const denied: string[] = [];
  const sockets = new Set<net.Socket>();

  const server = http.createServer((req, res) => {
    const target = req.url ?? '';
    const line = `${req.method} ${target}`;
    let url: URL | undefined;
    try {
      url = new URL(target);
    } catch {
      url = undefined;
    }
    const full = url ? `${url.protocol}//${url.host}${url.pathname}`.toLowerCase() : '';
    if (!url || url.protocol !== 'http:' || !prefixes.some((p) => full.startsWith(p))) {
      denied.push(line);
      res.writeHead(403, { 'content-type': 'text/plain' }).end('tracefix egress proxy: not an allowed registry\n');
      return;
    }
    allowed.push(line);
    const headers: http.OutgoingHttpHeaders = { ...req.headers, host: url.host };
    delete headers['proxy-connection'];
    delete headers['proxy-authorization'];
    const upstream = http.request(url, { method: req.method ?? 'GET', headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => res.headersSent ? res.destroy() : res.writeHead(502).end('upstream unreachable\n'));
    req.pipe(upstream);
  });

  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    const target = (req.url ?? '').toLowerCase();
    if (!tunnels.has(target)) {
      denied.push(`CONNECT ${target}`);
      client.end('HTTP/1.1 403 Forbidden\r\ncontent-type: text/plain\r\n\r\ntracefix egress proxy: not an allowed registry\n');
      return;
    }
    allowed.push(`CONNECT ${target}`);
    const [host = '', port = '443'] = target.split(/:(?=\d+$)/);
    const upstream = net.connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  server.on('connection', (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => resolve());
  });
  // The sandbox's uid (10001) connects; the socket is its only writable door and lives only for the install.
  await chmod(socketPath, 0o666);
  return {
    socketPath,
    sandboxPath: path.posix.join(input.sandboxWorkspace, name),
    allowed,
    denied,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(socketPath, { force: true });
    },
  };
}
