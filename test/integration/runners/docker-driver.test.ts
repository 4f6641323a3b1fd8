// The runner scenarios through the docker driver and the sandbox images, as production runs them:
// network none, read-only root, uid 10001, the fixture repo bind-mounted at /workspace.
import { createSandboxDriver } from '../../../src/sandbox/api.ts';
import { sandboxImage } from '../../../src/sandbox/images.ts';
import { sandboxImagesUnavailable } from '../../helpers/sandbox-probes.ts';
import { driverScenarios } from '../../helpers/driver-scenarios.ts';
import { runnerScenario } from '../../helpers/runner-scenario.ts';


// Under CI the images must be there (.ci/run builds them): a skip would hide a broken setup.
const unavailable = await sandboxImagesUnavailable();
if (unavailable && process.env.CI) throw new Error(unavailable);

const driver = createSandboxDriver('docker', {});
for (const s of driverScenarios(false)) {
  const image = sandboxImage(s.framework === 'pytest' || s.framework === 'unittest' ? 'python' : 'node');
  runnerScenario({
    ...s,
    sandbox: (dir) => driver.create({ image, workspaceDir: dir }),
    skip: unavailable || s.skip || false,
    label: 'docker driver',
  });
}
