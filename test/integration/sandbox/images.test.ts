import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { before, describe, it } from 'node:test';
import { sandboxImage, sandboxImageTag, sandboxImageVersions, SANDBOX_IMAGES_DIR } from '../../../src/sandbox/images.ts';
import { docker, dockerAvailability } from './helpers.ts';

describe('sandbox images: definition', () => {
  it('computes the same tag as build.sh', () => {
    const fromScript = execFileSync('bash', [`${SANDBOX_IMAGES_DIR}/build.sh`, '--print-tag'], { encoding: 'utf8' }).trim();
    assert.equal(sandboxImageTag(), fromScript);
    assert.match(sandboxImage('node'), /^tracefix\/sandbox-node:[0-9a-f]{12}$/);
    assert.equal(sandboxImageVersions().NODE_VERSION?.split('.')[0], '24');
  });
});

const availability = await dockerAvailability();

describe('sandbox images: built', { skip: availability.skip ?? false }, () => {
  before(() => {
    if (availability.problem) throw new Error(availability.problem);
  });

  for (const runtime of ['node', 'python'] as const) {
    it(`${runtime} image runs as uid 10001 in /workspace and is labelled with its runtime`, async () => {
      const info = await docker.getImage(sandboxImage(runtime)).inspect();
      assert.equal(info.Config.User, '10001:10001');
      assert.equal(info.Config.WorkingDir, '/workspace');
      const label = info.Config.Labels?.['org.tracefix.runtime'] ?? '';
      assert.match(label, runtime === 'node' ? /^node@24\.\d+\.\d+$/ : /^python@3\.\d+\.\d+$/);
      assert.equal(info.Config.Labels?.['org.tracefix.inputs'], sandboxImageTag());
    });
  }
});

describe('sandbox images: python', { skip: availability.skip ?? false }, () => {
  it('runs a pytest suite in the python sandbox', async () => {
    const { createDockerDriver } = await import('../../../src/sandbox/docker/driver.ts');
    const { makeWorkspace, removeWorkspace } = await import('./helpers.ts');
    const workspaceDir = makeWorkspace();
    const sandbox = await createDockerDriver().create({ image: sandboxImage('python'), workspaceDir });
    try {
      await sandbox.writeFile('test_answer.py', 'def test_answer():\n    assert 6 * 7 == 42\n');
      const r = await sandbox.exec(['python3', '-m', 'pytest', '-q', '-p', 'no:cacheprovider']);
      assert.equal(r.exitCode, 0, r.stdout + r.stderr);
      assert.match(r.stdout, /1 passed/);
    } finally {
      await sandbox.destroy();
      removeWorkspace(workspaceDir);
    }
  });
});
