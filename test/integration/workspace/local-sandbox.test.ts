// A run's worktree inside the real local (bubblewrap) sandbox: tests run there, the sandbox's
// edits show in the host-side diff, and neither the worktree's .git nor the mirror is writable.
import assert from 'node:assert/strict';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runTests } from '../../../src/runners/run-tests.ts';
import { createSandboxDriver } from '../../../src/sandbox/api.ts';
import type { Sandbox } from '../../../src/sandbox/types.ts';
import { loadRepoConfig } from '../../../src/workspace/repo-config.ts';
import { createWorkspaceManager, type Workspace, type WorkspaceManager } from '../../../src/workspace/workspace.ts';
import { makeRepo } from '../../helpers/git-repo.ts';
import { bwrapUnavailable } from '../../helpers/sandbox-probes.ts';


describe('worktree in the local sandbox', { skip: bwrapUnavailable() }, () => {
  let tmp: string;
  let manager: WorkspaceManager;
  let ws: Workspace;
  let sandbox: Sandbox;

  before(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'tracefix-wsbox-'));
    await chmod(tmp, 0o711);
    const origin = path.join(tmp, 'origin');
    const [sha] = await makeRepo(origin, [
      {
        'package.json': '{ "type": "module", "scripts": { "test": "node --test" } }\n',
        'src/sum.js': 'export const sum = (a, b) => a - b;\n',
        'test/sum.test.js': "import { test } from 'node:test';\nimport assert from 'node:assert/strict';\nimport { sum } from '../src/sum.js';\ntest('sums', () => assert.equal(sum(2, 3), 5));\n",
      },
    ]);
    manager = createWorkspaceManager({ dataDir: path.join(tmp, 'data') });
    ws = await manager.create({ runId: 'run-box', repo: { url: origin }, commit: sha! });
    sandbox = await createSandboxDriver('local', {}).create({ image: 'local', workspaceDir: ws.dir });
  });
  after(async () => {
    await sandbox?.destroy();
    if (ws) await manager.remove(ws);
    await rm(tmp, { recursive: true, force: true });
  });

  it('runs the checkout\'s tests and diffs the sandbox\'s edits on the host', async () => {
    const config = await loadRepoConfig(ws.dir);
    const before = await runTests(sandbox, config);
    assert.deepEqual(before.tests.map((t) => [t.id, t.status]), [['test/sum.test.js::sums', 'failed']]);
    await sandbox.writeFile('src/sum.js', 'export const sum = (a, b) => a + b;\n');
    const fixed = await runTests(sandbox, config);
    assert.deepEqual(fixed.tests.map((t) => t.status), ['passed']);
    const diff = await manager.diff(ws);
    assert.match(diff, /-export const sum = \(a, b\) => a - b;\n\+export const sum = \(a, b\) => a \+ b;/);
    assert.doesNotMatch(diff, /test\/|package\.json/);
  });

  it('cannot write the worktree .git file or reach the mirror', async () => {
    const pointer = await readFile(path.join(ws.dir, '.git'), 'utf8');
    const write = await sandbox.exec(['sh', '-c', 'echo "gitdir: /tmp/evil" > .git']);
    assert.notEqual(write.exitCode, 0);
    assert.equal(await readFile(path.join(ws.dir, '.git'), 'utf8'), pointer);
    const reach = await sandbox.exec(['sh', '-c', `ls "${ws.mirrorDir}" || ls "${ws.gitDir}"`]);
    assert.notEqual(reach.exitCode, 0);
  });
});
