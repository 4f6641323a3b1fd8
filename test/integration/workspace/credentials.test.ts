// A private repository behind HTTP basic auth (git http-backend): the token must reach the server
// and must not reach any file of the mirror, the worktree or the data directory.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, lstatSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { WorkspaceError } from '../../../src/workspace/errors.ts';
import { createWorkspaceManager } from '../../../src/workspace/workspace.ts';
import { gitIn, makeRepo } from '../../helpers/git-repo.ts';
import { startGitHttpServer, type GitHttpServer } from '../../helpers/git-http-server.ts';

const TOKEN = 'ghs_tracefixTestToken0123456789abcdef';
const USER = 'x-access-token';

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const p = path.join(dir, entry);
    const info = lstatSync(p);
    if (info.isDirectory()) out.push(...filesUnder(p));
    else if (info.isFile()) out.push(p);
  }
  return out;
}

describe('private https repositories', () => {
  let tmp: string;
  let server: GitHttpServer;
  let url: string;
  let sha: string;

  before(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'tracefix-cred-'));
    const source = path.join(tmp, 'source');
    [sha] = (await makeRepo(source, [{ 'index.js': 'module.exports = 1;\n' }])) as [string];
    await gitIn(tmp, 'clone', '-q', '--bare', source, path.join(tmp, 'served', 'private.git'));
    server = await startGitHttpServer({ projectRoot: path.join(tmp, 'served'), username: USER, password: TOKEN });
    url = `${server.url}/private.git`;
  });
  after(async () => {
    await server?.close();
    await rm(tmp, { recursive: true, force: true });
  });

  it('clones with a token sent per command and stored nowhere', async () => {
    const dataDir = path.join(tmp, 'data-token');
    const manager = createWorkspaceManager({ dataDir });
    const ws = await manager.create({ runId: 'run-private', repo: { url, token: TOKEN }, commit: sha });
    assert.equal(await readFile(path.join(ws.dir, 'index.js'), 'utf8'), 'module.exports = 1;\n');
    assert.ok(server.requests.some((r) => r.authorized), 'the server saw the token');

    const secrets = [TOKEN, Buffer.from(`${USER}:${TOKEN}`).toString('base64'), TOKEN.slice(4, 20)];
    const files = filesUnder(dataDir);
    assert.ok(files.some((f) => f.startsWith(ws.mirrorDir)) && files.some((f) => f.startsWith(ws.dir)));
    for (const file of files) {
      const content = readFileSync(file).toString('latin1');
      for (const secret of secrets) assert.ok(!content.includes(secret), `${file} contains the token`);
    }
    assert.equal((await gitIn(ws.mirrorDir, 'config', 'remote.origin.url')), url);
    assert.doesNotMatch(await gitIn(ws.mirrorDir, 'config', '--list', '--show-origin'), /extraheader|Authorization/i);
    await manager.remove(ws);
  });

  it('lifts credentials out of a URL before git stores it', async () => {
    const dataDir = path.join(tmp, 'data-userinfo');
    const manager = createWorkspaceManager({ dataDir });
    const withUserinfo = url.replace('http://', `http://${USER}:${TOKEN}@`);
    const ws = await manager.create({ runId: 'run-userinfo', repo: { url: withUserinfo } });
    assert.equal(ws.commit, sha);
    assert.equal(ws.repo, url);
    for (const file of filesUnder(dataDir)) assert.ok(!readFileSync(file).toString('latin1').includes(TOKEN), `${file} contains the token`);
    await manager.remove(ws);
  });

  it('fails without the token, or with a wrong one, and never echoes it', async () => {
    const manager = createWorkspaceManager({ dataDir: path.join(tmp, 'data-denied') });
    await assert.rejects(manager.create({ runId: 'run-anon', repo: { url } }), WorkspaceError);
    const wrong = `${TOKEN}-wrong`;
    await assert.rejects(manager.create({ runId: 'run-wrong', repo: { url, token: wrong } }), (err: unknown) => {
      assert.ok(err instanceof WorkspaceError);
      assert.match(err.message, /Cannot fetch/);
      assert.ok(!err.message.includes(wrong));
      return true;
    });
  });
});
