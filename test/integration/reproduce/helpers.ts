// Shared setup of the reproduction integration tests: the sandboxes they run in (the local
// bubblewrap driver, or the host helper where bubblewrap cannot run; the docker driver in
// addition when Docker answers and the sandbox images are built), fresh copies of the fixture
// repositories, and each fixture's known fix.
import { chmod, cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createSandboxDriver } from '../../../src/sandbox/api.ts';
import { sandboxImage } from '../../../src/sandbox/images.ts';
import { SANDBOX_WORKSPACE, type Sandbox } from '../../../src/sandbox/types.ts';
import { createHostSandbox } from '../../helpers/host-sandbox.ts';
import { bwrapUnavailable, sandboxImagesUnavailable } from '../../helpers/sandbox-probes.ts';
import { REPRO_REPOS } from '../../unit/reproduce/helpers.ts';

export interface SandboxTarget {
  name: string;
  skip: string | false;
  /** `env`: for every exec (the install stage's PYTHONPATH, in sandbox paths under /workspace). */
  create(dir: string, runtime: 'node' | 'python', env?: Record<string, string>): Promise<Sandbox>;
}

/** The host helper runs in the directory itself: sandbox paths become host paths. */
const onHost = (dir: string, env: Record<string, string> = {}) =>
  Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v.split(SANDBOX_WORKSPACE).join(dir)]));




/** The host helper's python3 should be the system one (the jailed sandboxes see /usr/bin too). */
const HOST_ENV = { PATH: `${path.dirname(process.execPath)}:/usr/bin:/bin:${process.env['PATH'] ?? ''}` };

export async function sandboxTargets(): Promise<SandboxTarget[]> {
  const local = createSandboxDriver('local', {});
  const docker = createSandboxDriver('docker', {});
  const bwrap = !bwrapUnavailable();
  return [
    bwrap
      ? { name: 'local driver', skip: false, create: (dir, _runtime, env) => local.create({ image: 'local', workspaceDir: dir, ...(env ? { env } : {}) }) }
      : { name: 'host helper', skip: false, create: async (dir, _runtime, env) => createHostSandbox(dir, { env: { ...HOST_ENV, ...onHost(dir, env) } }) },
    {
      name: 'docker driver',
      skip: await sandboxImagesUnavailable(),
      create: (dir, runtime, env) => docker.create({ image: sandboxImage(runtime), workspaceDir: dir, labels: { 'org.tracefix.test': 'reproduce' }, ...(env ? { env } : {}) }),
    },
  ];
}

export interface RepoCopy {
  dir: string;
  cleanup(): Promise<void>;
}

/** A fresh copy of test/fixtures/repro-repos/<name> (without its incident file) in a temp dir. */
export async function copyRepo(name: string): Promise<RepoCopy> {
  const parent = await mkdtemp(path.join(os.tmpdir(), `tracefix-repro-${name}-`));
  // A sandbox running as another uid must be able to reach the workspace.
  await chmod(parent, 0o711);
  const dir = path.join(parent, 'repo');
  await cp(path.join(REPRO_REPOS, name), dir, { recursive: true, filter: (src) => !src.endsWith('incident.sentry.json') });
  return { dir, cleanup: () => rm(parent, { recursive: true, force: true }) };
}

/** The fix a person would write, applied by text replacement. */
export const KNOWN_FIXES: Record<string, { file: string; from: string; to: string }> = {
  'js-cart': {
    file: 'src/cart.js',
    from: '  const coupon = findCoupon(code);\n',
    to: '  const coupon = findCoupon(code);\n  if (!coupon) return total;\n',
  },
  'ts-invoices': {
    file: 'src/dates.ts',
    from: '  return due.toISOString().slice(0, 10);',
    to: "  if (Number.isNaN(due.getTime())) return 'unknown';\n  return due.toISOString().slice(0, 10);",
  },
  'py-orders': {
    file: 'app/orders.py',
    from: '    return line["price"] * line["qty"]',
    to: '    price = line["price"] if "price" in line else line["unit_price"]\n    return price * line["qty"]',
  },
};

export async function applyFix(dir: string, name: string): Promise<void> {
  const fix = KNOWN_FIXES[name];
  if (!fix) throw new Error(`no known fix for ${name}`);
  const file = path.join(dir, fix.file);
  const text = await readFile(file, 'utf8');
  if (!text.includes(fix.from)) throw new Error(`${fix.file} does not contain the buggy line`);
  await writeFile(file, text.replace(fix.from, fix.to));
}
