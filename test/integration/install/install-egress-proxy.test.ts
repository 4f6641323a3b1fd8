// `install.network: proxy`, for real: the repository's own `npm ci` runs inside the sandbox (docker, local)
// (network none) and reaches the registry (a fake on the host's loopback) only through tracefix's
// egress proxy. From the same command, a request to another server on the host, a CONNECT to any
// other host and a direct connection without the proxy all fail; the other server sees nothing.
// Once the command returns, the proxy's socket is gone: the rest of the run has no way out.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '../../../src/config.ts';
import { openRunEnvironment } from '../../../src/environment/run-env.ts';
import { npmIn } from '../../helpers/dep-repos.ts';
import { gitIn } from '../../helpers/git-repo.ts';
import { bwrapUnavailable, sandboxImagesUnavailable } from '../../helpers/sandbox-probes.ts';

const skipFor = { docker: await sandboxImagesUnavailable(['node']), local: bwrapUnavailable() };

interface Server {
  url: string;
  port: number;
  seen: string[];
  close(): Promise<void>;
}

async function serve(handler: (req: http.IncomingMessage, res: http.ServerResponse) => void): Promise<Server> {
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, port, seen, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** An npm registry fake serving `tiny@1.0.0`, packed here. */
async function registryFake(root: string): Promise<Server> {
  const pkg = path.join(root, 'tiny-src');
  await mkdir(pkg, { recursive: true });
  await writeFile(path.join(pkg, 'package.json'), JSON.stringify({ name: 'tiny', version: '1.0.0', main: 'index.js' }));
  await writeFile(path.join(pkg, 'index.js'), 'module.exports = () => "tiny";\n');
  const packed = JSON.parse(await npmIn(pkg, path.join(root, 'npm-home'), 'pack', '--json', '--ignore-scripts', '--pack-destination', pkg)) as { filename: string }[];
  const tarball = await readFile(path.join(pkg, packed[0]?.filename ?? ''));
  const integrity = `sha512-${createHash('sha512').update(tarball).digest('base64')}`;
  let base = '';
  const server = await serve((req, res) => {
    if (req.url === '/tiny') {
      const version = { name: 'tiny', version: '1.0.0', main: 'index.js', dist: { tarball: `${base}tiny/-/tiny-1.0.0.tgz`, integrity } };
      return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ name: 'tiny', 'dist-tags': { latest: '1.0.0' }, versions: { '1.0.0': version } }));
    }
    if (req.url === '/tiny/-/tiny-1.0.0.tgz') return void res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(tarball);
    res.writeHead(404, { 'content-type': 'application/json' }).end('{}');
  });
  base = server.url;
  return server;
}

/** Run inside the sandbox after `npm ci`: three ways out that must all fail; results in probe.json. */
const PROBE = (forbidden: number, registry: number) => `const http = require('http'); const net = require('net'); const fs = require('fs');
const out = {};
const viaProxy = () => new Promise((resolve) => {
  const req = http.request({ host: '127.0.0.1', port: 3128, method: 'GET', path: 'http://127.0.0.1:${forbidden}/leak' }, (res) => { res.resume(); resolve(res.statusCode); });
  req.on('error', (e) => resolve(e.code)); req.end();
});
const connect = () => new Promise((resolve) => {
  const req = http.request({ host: '127.0.0.1', port: 3128, method: 'CONNECT', path: 'example.com:443' });
  req.on('connect', (res) => resolve(res.statusCode)); req.on('response', (res) => resolve(res.statusCode)); req.on('error', (e) => resolve(e.code)); req.end();
});
const direct = () => new Promise((resolve) => {
  const s = net.connect(${registry}, '127.0.0.1', () => { s.destroy(); resolve('connected'); }); s.on('error', (e) => resolve(e.code));
});
(async () => { out.viaProxy = await viaProxy(); out.connect = await connect(); out.direct = await direct(); fs.writeFileSync('probe.json', JSON.stringify(out)); })();
`;

for (const driver of ['docker', 'local'] as const) {
  test(`install.network: proxy (${driver}): npm ci in the sandbox reaches only the registries, through the proxy, and only while it runs`, { skip: skipFor[driver], timeout: 300_000 }, async (t) => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'tf-egress-'));
    await chmod(root, 0o711);
    t.after(() => rm(root, { recursive: true, force: true }));
    const registry = await registryFake(root);
    const forbidden = await serve((_req, res) => res.writeHead(200).end('secret'));
    t.after(() => Promise.all([registry.close(), forbidden.close()]));

    const repo = path.join(root, 'repo');
    await mkdir(repo);
    await writeFile(path.join(repo, 'package.json'), JSON.stringify({ name: 'svc', version: '1.0.0', private: true, dependencies: { tiny: '1.0.0' } }, null, 2));
    await writeFile(path.join(repo, '.npmrc'), `registry=${registry.url}\n`);
    await npmIn(repo, path.join(root, 'npm-home'), 'install', '--package-lock-only', '--ignore-scripts', '--no-audit', '--no-fund', `--registry=${registry.url}`);
    // manager: none: tracefix fetches nothing on the host; the repository installs itself, in the sandbox.
    await writeFile(path.join(repo, 'probe.js'), PROBE(forbidden.port, registry.port));
    await writeFile(path.join(repo, 'test.js'), "require('node:test')('tiny', () => require('node:assert').equal(require('tiny')(), 'tiny'));\n");
    await writeFile(path.join(repo, '.tracefix.yml'), `install:\n  manager: none\n  command: npm ci --no-audit --no-fund && node probe.js\n  network: proxy\n  registries: ["${registry.url}"]\n`);
    await writeFile(path.join(repo, '.gitignore'), 'node_modules/\nprobe.json\n');
    await gitIn(repo, 'init', '-q', '-b', 'main');
    await gitIn(repo, 'add', '-A');
    await gitIn(repo, 'commit', '-q', '-m', 'service');

    const config = loadConfig({ TRACEFIX_DATA_DIR: path.join(root, 'd'), TRACEFIX_SANDBOX_DRIVER: driver });
    const env = await openRunEnvironment({ config, runId: 'egress', repo: { url: repo }, driver, labels: { 'org.tracefix.test': 'install-egress-proxy' } });
    try {
      assert.match(env.install?.detail ?? '', /ran in the sandbox: npm ci .*; through the egress proxy: \d+ requests to the registries allowed, 2 refused/);
      assert.ok(registry.seen.includes('GET /tiny/-/tiny-1.0.0.tgz'), registry.seen.join('\n'));
      assert.deepEqual(JSON.parse(await readFile(path.join(env.workspace.dir, 'probe.json'), 'utf8')), { viaProxy: 403, connect: 403, direct: 'ECONNREFUSED' });
      assert.deepEqual(forbidden.seen, [], 'the other server on the host was never reached');

      // After the install: the suite sees the package; the proxy and its socket are gone.
      const suite = await env.sandbox.exec(['node', '--test', 'test.js']);
      assert.equal(suite.exitCode, 0, suite.stdout + suite.stderr);
      assert.deepEqual((await readdir(env.workspace.dir)).filter((f) => f.includes('egress')), []);
      const after = await env.sandbox.exec(['node', '-e', "require('net').connect(3128, '127.0.0.1').on('connect', () => console.log('open')).on('error', (e) => console.log(e.code))"]);
      assert.equal(after.stdout.trim(), 'ECONNREFUSED');
    } finally {
      await env.close();
    }
  });
}
