import { before, describe } from 'node:test';
import { createLocalDriver } from '../../../src/sandbox/local/driver.ts';
import { bwrapAvailability } from './helpers.ts';
import { securityTests } from './security.ts';

const availability = bwrapAvailability();

describe('local sandbox: security', { skip: availability.skip ?? false, concurrency: 3 }, () => {
  before(() => {
    if (availability.problem) throw new Error(availability.problem);
  });
  securityTests({ kind: 'local', driver: () => createLocalDriver(), image: 'ignored' });
});
