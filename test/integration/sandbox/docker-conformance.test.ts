import { before, describe } from 'node:test';
import { createDockerDriver } from '../../../src/sandbox/docker/driver.ts';
import { conformanceTests } from './conformance.ts';
import { dockerAvailability, NODE_IMAGE } from './helpers.ts';

const availability = await dockerAvailability();

describe('docker sandbox: conformance', { skip: availability.skip ?? false, concurrency: 4 }, () => {
  before(() => {
    if (availability.problem) throw new Error(availability.problem);
  });
  conformanceTests({ kind: 'docker', driver: () => createDockerDriver(), image: NODE_IMAGE });
});
