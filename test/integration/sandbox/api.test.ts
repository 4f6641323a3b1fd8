import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createSandboxDriver, SANDBOX_DRIVERS } from '../../../src/sandbox/api.ts';
import { ConfigError } from '../../../src/errors.ts';

describe('sandbox driver registry', () => {
  it('creates each registered driver by name and refuses unknown names', () => {
    assert.deepEqual([...SANDBOX_DRIVERS.keys()].sort(), ['docker', 'local']);
    assert.equal(createSandboxDriver('docker').name, 'docker');
    assert.equal(createSandboxDriver('local').name, 'local');
    assert.throws(() => createSandboxDriver('firecracker'), ConfigError);
  });
});
