// The runner scenarios again, through the real local (bubblewrap) sandbox driver instead of the
// host helper: Node 24 at /opt/node/bin, the host's python3, a private /tmp, /workspace.
import { createSandboxDriver } from '../../../src/sandbox/api.ts';
import { hasPytest } from '../../helpers/fixture-repos.ts';
import { driverScenarios } from '../../helpers/driver-scenarios.ts';
import { runnerScenario } from '../../helpers/runner-scenario.ts';
import { bwrapUnavailable } from '../../helpers/sandbox-probes.ts';


const driver = createSandboxDriver('local', {});
const sandbox = (dir: string) => driver.create({ image: 'local', workspaceDir: dir });
const unavailable = bwrapUnavailable();
// The jail's python3 is the host's /usr/bin/python3.
const systemPytest = (await hasPytest('/usr/bin/python3')) ? false : '/usr/bin/python3 has no pytest (apt-get install python3-pytest)';

const scenarios = driverScenarios(systemPytest);

for (const s of scenarios) runnerScenario({ ...s, sandbox, skip: unavailable || s.skip || false, label: 'local driver' });
