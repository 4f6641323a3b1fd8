// A private npm registry (a protocol-level fake over real HTTP on loopback) that answers only with
// its token: the fetch authenticates with TRACEFIX_REGISTRY_CREDENTIALS, and the token reaches
// nothing else: not the workspace, not the sandbox's environment or files, not a log line, not an
// error message (a wrong token fails with npm's words, the token scrubbed).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import pino from 'pino';
import { loadConfig } from '../../../src/config.ts';
import { InstallError } from '../../../src/install/index.ts';
import { openRunEnvironment } from '../../../src/run/run-env.ts';
import { commit, gitIn } from '../../helpers/git-repo.ts';
import { sandboxImagesUnavailable } from '../../helpers/sandbox-probes.ts';

const run = promisify(execFile);
const skip = await sandboxImagesUnavailable(['node']);
const TOKEN = 'npm_privateRegistryToken_5f3a9c1e';

test('a private registry: the token authenticates the fetch and appears nowhere else', { skip, timeout: 300_000 }, async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tracefix-install-private-'));
  await chmod(dir, 0o711);
  t.after(() => rm(dir, { recursive: true, force: true }));

  // The package, packed by npm.
  const pkgDir = path.join(dir, 'tiny');
  await mkdir(pkgDir);
  await writeFile(path.join(pkgDir, 'package.json'), JSON.stringify({ name: 'tiny', version: '1.0.0', main: 'index.js' }));
  await writeFile(path.join(pkgDir, 'index.js'), 'module.exports = () => "tiny";\n');
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', dir], { cwd: pkgDir, env: { PATH: `${path.dirname(process.execPath)}:${process.env['PATH']}`, HOME: dir } });
  const tarball = await readFile(path.join(dir, (JSON.parse(stdout) as { filename: string }[])[0]?.filename ?? ''));
  const integrity = `sha512-${createHash('sha512').update(tarball).digest('base64')}`;

  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url} ${req.headers.authorization === `Bearer ${TOKEN}` ? 'authorized' : 'anonymous'}`);
    if (req.headers.authorization !== `Bearer ${TOKEN}`) return void res.writeHead(401, { 'www-authenticate': 'Bearer' }).end('{"error":"unauthorized"}');
    if (req.url === '/tiny/-/tiny-1.0.0.tgz') return void res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(tarball);
    res.writeHead(404).end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const registry = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;

  const repo = path.join(dir, 'repo');
  await mkdir(repo);
  await gitIn(repo, 'init', '-q', '-b', 'main');
  await commit(
    repo,
    {
      'package.json': JSON.stringify({ name: 'svc', version: '1.0.0', dependencies: { tiny: '1.0.0' } }),
      'package-lock.json': JSON.stringify({
        name: 'svc',
        version: '1.0.0',
        lockfileVersion: 3,
        requires: true,
        packages: { '': { name: 'svc', version: '1.0.0', dependencies: { tiny: '1.0.0' } }, 'node_modules/tiny': { version: '1.0.0', resolved: `${registry}tiny/-/tiny-1.0.0.tgz`, integrity } },
      }),
      '.tracefix.yml': `install:\n  registries: ["${registry}"]\n`,
      'test.js': "require('node:test')('tiny', () => require('node:assert').equal(require('tiny')(), 'tiny'));\n",
      '.gitignore': 'node_modules/\n',
    },
    'service',
  );

  const lines: string[] = [];
  const log = pino({ level: 'debug' }, { write: (line: string) => void lines.push(line) });
  const config = loadConfig({ TRACEFIX_DATA_DIR: path.join(dir, 'data'), TRACEFIX_REGISTRY_CREDENTIALS: JSON.stringify({ [registry]: TOKEN }) });
  const env = await openRunEnvironment({ config, runId: 'run-private', repo: { url: repo }, driver: 'docker', log, labels: { 'org.tracefix.test': 'install-private' } });
  try {
    assert.equal(env.install?.source, 'fetched');
    assert.ok(seen.includes('GET /tiny/-/tiny-1.0.0.tgz authorized'), seen.join('\n'));
    const suite = await env.sandbox.exec(['node', '--test', 'test.js']);
    assert.equal(suite.exitCode, 0, suite.stdout + suite.stderr);
    // Nowhere in the sandbox: its environment, its HOME, the workspace (node_modules included).
    const search = await env.sandbox.exec(['sh', '-c', `env; grep -rl "${TOKEN}" /workspace /tmp 2>/dev/null; true`]);
    assert.doesNotMatch(search.stdout + search.stderr, new RegExp(TOKEN));
    const host = await run('grep', ['-rl', TOKEN, env.workspace.dir]).then(
      (r) => r.stdout,
      () => '',
    );
    assert.equal(host, '', 'no file of the workspace holds the token');
  } finally {
    await env.close();
  }
  assert.ok(lines.some((l) => l.includes('Fetching dependencies')));
  assert.doesNotMatch(lines.join('\n'), new RegExp(TOKEN), 'no log line carries the token');
  // The fetch's scratch HOME (its .npmrc) is gone.
  assert.equal((await run('grep', ['-rl', TOKEN, path.join(dir, 'data')]).catch(() => ({ stdout: '' }))).stdout, '');

  // The wrong token: npm's own error, scrubbed of the (wrong) secret.
  const wrong = 'npm_wrongToken_0123456789abcdef';
  const bad = loadConfig({ TRACEFIX_DATA_DIR: path.join(dir, 'data-bad'), TRACEFIX_REGISTRY_CREDENTIALS: JSON.stringify({ [registry]: wrong }) });
  const failed = await openRunEnvironment({ config: bad, runId: 'run-private-bad', repo: { url: repo }, driver: 'docker' }).then(
    () => assert.fail('expected a 401'),
    (error: unknown) => error,
  );
  assert.ok(failed instanceof InstallError, String(failed));
  assert.match(failed.output, /401|E401|Unauthorized/i);
  assert.doesNotMatch(failed.message, new RegExp(wrong));
});
