// The egress proxy on its own, over its Unix socket: plain-HTTP requests pass only under an http
// registry's prefix (after URL normalization: `..` cannot climb out of it), CONNECT only to an
// https registry's host and port, everything else is 403 and recorded; proxy credentials are not
// forwarded; closing removes the socket. Setup errors name the setting.
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { startEgressProxy } from '../../../src/install/egress-proxy.ts';

function viaSocket(socketPath: string, options: http.RequestOptions): Promise<{ status: number | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath, ...options }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function connectVia(socketPath: string, target: string): Promise<{ status: number | undefined; echoed?: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath, method: 'CONNECT', path: target });
    req.on('connect', (res, socket) => {
      if (res.statusCode !== 200) return resolve({ status: res.statusCode });
      socket.once('data', (d: Buffer) => {
        socket.destroy();
        resolve({ status: 200, echoed: d.toString() });
      });
      socket.write('ping');
    });
    req.on('response', (res) => resolve({ status: res.statusCode }));
    req.on('error', reject);
    req.end();
  });
}

test('egress proxy: only the registries, by prefix (http) or host:port (https); closes with its socket', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tf-proxy-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const headersSeen: http.IncomingHttpHeaders[] = [];
  const registry = http.createServer((req, res) => {
    headersSeen.push(req.headers);
    res.writeHead(200).end(`registry ${req.url}`);
  });
  await new Promise<void>((resolve) => registry.listen(0, '127.0.0.1', resolve));
  const echo = net.createServer((s) => s.pipe(s));
  await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    registry.close();
    echo.close();
  });
  const httpPort = (registry.address() as AddressInfo).port;
  const tlsPort = (echo.address() as AddressInfo).port;

  const proxy = await startEgressProxy({ workspaceDir: dir, sandboxWorkspace: '/workspace', registries: [`http://127.0.0.1:${httpPort}/npm/`, `https://127.0.0.1:${tlsPort}/simple/`, './wheels'] });
  assert.match(proxy.sandboxPath, /^\/workspace\/\.tracefix-egress-[0-9a-f]{8}\.sock$/);

  const ok = await viaSocket(proxy.socketPath, { path: `http://127.0.0.1:${httpPort}/npm/tiny`, headers: { 'proxy-authorization': 'Basic c2VjcmV0' } });
  assert.deepEqual(ok, { status: 200, body: 'registry /npm/tiny' });
  assert.equal(headersSeen[0]?.['proxy-authorization'], undefined);
  assert.equal((await viaSocket(proxy.socketPath, { path: `http://127.0.0.1:${httpPort}/admin` })).status, 403);
  assert.equal((await viaSocket(proxy.socketPath, { path: `http://127.0.0.1:${httpPort}/npm/../admin` })).status, 403);
  assert.equal((await viaSocket(proxy.socketPath, { path: '/npm/tiny' })).status, 403, 'an origin-form request names no registry');
  assert.deepEqual(await connectVia(proxy.socketPath, `127.0.0.1:${tlsPort}`), { status: 200, echoed: 'ping' });
  assert.equal((await connectVia(proxy.socketPath, `127.0.0.1:${httpPort}`)).status, 403, 'an http registry is not a tunnel');
  assert.equal((await connectVia(proxy.socketPath, 'example.com:443')).status, 403);
  assert.deepEqual(proxy.denied, [`GET http://127.0.0.1:${httpPort}/admin`, `GET http://127.0.0.1:${httpPort}/npm/../admin`, 'GET /npm/tiny', `CONNECT 127.0.0.1:${httpPort}`, 'CONNECT example.com:443']);
  assert.equal(proxy.allowed.length, 2);
  assert.deepEqual(headersSeen.length, 1, 'nothing refused reached the registry');

  await proxy.close();
  assert.deepEqual((await readdir(dir)).filter((f) => f.endsWith('.sock')), []);
  await assert.rejects(viaSocket(proxy.socketPath, { path: `http://127.0.0.1:${httpPort}/npm/tiny` }), /ENOENT|ECONNREFUSED/);
});

test('egress proxy: refuses to start without an http(s) registry or on a socket path Linux cannot bind', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tf-proxy-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await assert.rejects(startEgressProxy({ workspaceDir: dir, sandboxWorkspace: '/workspace', registries: ['./wheels'] }), /none is an http\(s\) registry/);
  await assert.rejects(startEgressProxy({ workspaceDir: path.join(dir, 'x'.repeat(120)), sandboxWorkspace: '/workspace', registries: ['https://registry.npmjs.org/'] }), /longer than 107 bytes: use a shorter TRACEFIX_DATA_DIR/);
});
