import { before, describe } from 'node:test';
import { createDockerDriver } from '../../../src/sandbox/docker/driver.ts';
import { conformanceTests } from './conformance.ts';
import { dockerAvailability, NODE_IMAGE } from './helpers.ts';

const availability = await dockerAvailability();

describe('docker sandbox: conformance (commands through the runner)', { skip: availability.skip ?? false, concurrency: 4 }, () => {
  before(() => {
    if (availability.problem) throw new Error(availability.problem);
  });
  conformanceTests({ kind: 'docker', driver: () => createDockerDriver(), image: NODE_IMAGE });
});

// The same contract when every command is a `docker exec` (images without the runner's perl).
describe('docker sandbox: conformance, one docker exec per command', { skip: availability.skip ?? false, concurrency: 4 }, () => {
  before(() => {
    if (availability.problem) throw new Error(availability.problem);
  });
  conformanceTests({ kind: 'docker', driver: () => createDockerDriver({ runner: false }), image: NODE_IMAGE });
});
