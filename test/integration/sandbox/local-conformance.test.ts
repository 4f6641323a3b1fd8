import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { createLocalDriver } from '../../../src/sandbox/local/driver.ts';
import { conformanceTests } from './conformance.ts';
import { bwrapAvailability } from './helpers.ts';

const availability = bwrapAvailability();

describe('local sandbox: conformance', { skip: availability.skip ?? false, concurrency: 4 }, () => {
  before(() => {
    if (availability.problem) throw new Error(availability.problem);
  });
  conformanceTests({ kind: 'local', driver: () => createLocalDriver(), image: 'ignored' });
});

describe('local sandbox: orphans', { skip: availability.skip ?? false }, () => {
  it('sweepOrphans removes state of dead owners and keeps live sandboxes', async () => {
    const { makeWorkspace, removeWorkspace } = await import('./helpers.ts');
    const stateRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'tracefix-state-'));
    fs.chmodSync(stateRoot, 0o711); // the sandbox uid must reach its state to bind it
    const workspaceDir = makeWorkspace();
    const driver = createLocalDriver({ stateRoot });
    const live = await driver.create({ image: 'ignored', workspaceDir });
    // What a crashed tracefix process leaves behind: state owned by a pid that no longer runs.
    const dead = path.join(stateRoot, 'tracefix-local-0123456789ab');
    fs.mkdirSync(path.join(dead, 'tmp'), { recursive: true });
    fs.writeFileSync(path.join(dead, 'owner'), `${os.hostname()}/999999999/1`);
    try {
      assert.equal(await driver.sweepOrphans(), 1);
      assert.equal(fs.existsSync(dead), false);
      const r = await live.exec(['echo', 'ok']);
      assert.equal(r.stdout, 'ok\n', r.stderr);
    } finally {
      await live.destroy();
      removeWorkspace(workspaceDir);
      assert.deepEqual(fs.readdirSync(stateRoot), [], 'destroy left state behind');
      fs.rmSync(stateRoot, { recursive: true, force: true });
    }
  });
});
