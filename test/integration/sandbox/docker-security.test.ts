import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterEach, before, describe, it } from 'node:test';
import { createDockerDriver } from '../../../src/sandbox/docker/driver.ts';
import { containersLabelled, docker, dockerAvailability, makeWorkspace, NODE_IMAGE, removeWorkspace } from './helpers.ts';
import { securityTests } from './security.ts';

const availability = await dockerAvailability();
const suiteLabel = randomUUID();

describe('docker sandbox: security', { skip: availability.skip ?? false, concurrency: 3 }, () => {
  before(() => {
    if (availability.problem) throw new Error(availability.problem);
  });
  securityTests({ kind: 'docker', driver: () => createDockerDriver(), image: NODE_IMAGE });
});

describe('docker sandbox: orphans', { skip: availability.skip ?? false }, () => {
  before(() => {
    if (availability.problem) throw new Error(availability.problem);
  });
  afterEach(async () => {
    assert.deepEqual(await containersLabelled(suiteLabel), [], 'sandbox container left behind');
  });

  it('sweepOrphans removes containers of dead owners and keeps live ones', async () => {
    const driver = createDockerDriver();
    const workspaceDir = makeWorkspace();
    const live = await driver.create({ image: NODE_IMAGE, workspaceDir, labels: { 'org.tracefix.test': suiteLabel } });
    // What a crashed tracefix process leaves behind: a sandbox owned by a pid that no longer runs.
    const orphan = await docker.createContainer({
      Image: NODE_IMAGE,
      Cmd: ['true'],
      Labels: {
        'org.tracefix.sandbox': '1',
        'org.tracefix.owner': `${(await import('node:os')).hostname()}/999999999/1`,
        'org.tracefix.test': suiteLabel,
      },
      HostConfig: { NetworkMode: 'none' },
    });
    try {
      assert.ok((await driver.sweepOrphans()) >= 1);
      const left = (await containersLabelled(suiteLabel)).map((c) => c.Id);
      assert.ok(!left.includes(orphan.id), 'the orphan survived the sweep');
      assert.equal((await live.exec(['echo', 'ok'])).stdout, 'ok\n', 'the live sandbox was swept');
    } finally {
      await live.destroy();
      await orphan.remove({ force: true }).catch(() => undefined);
      removeWorkspace(workspaceDir);
    }
  });
});
