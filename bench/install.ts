// Dependency install for the examples with dependencies (examples/sessions-js: npm + `ms` from the
// registry; examples/rates-py: pip from its wheel directory): tracefix's stage cold (empty cache:
// policy check, fetch as the unprivileged user, store, prune) and warm (a cache hit: copy), each as
// a ratio to the package manager run directly on the host the way a developer would (npm ci with an
// empty cache; pip install --target from the same wheel directory). Median of `samples` runs, each
// in a fresh git checkout.
//   node bench/install.ts            print rows
import { execFile } from 'node:child_process';
import { chmod, cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { loadConfig } from '../src/config.ts';
import { installDependencies } from '../src/install/index.ts';
import { createWorkspaceManager, loadRepoConfig } from '../src/workspace/index.ts';

const run = promisify(execFile);
const EXAMPLES = path.resolve(import.meta.dirname, '../examples');

export interface InstallBenchRow {
  metric: string;
  value: string;
  target: string;
  pass: boolean | null;
  samples?: number;
  note?: string;
}

export interface InstallBenchOptions {
  samples?: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

async function git(dir: string, ...args: string[]): Promise<void> {
  await run('git', ['-c', 'user.name=bench', '-c', 'user.email=bench@example.invalid', ...args], { cwd: dir });
}

async function checkout(parent: string, service: string, name: string): Promise<string> {
  const dir = path.join(parent, name);
  await cp(path.join(EXAMPLES, service), dir, { recursive: true, filter: (src) => !src.split(path.sep).includes('node_modules') && !src.split(path.sep).includes('incidents') });
  await git(dir, 'init', '-q', '-b', 'main');
  await git(dir, 'add', '-A');
  await git(dir, 'commit', '-q', '-m', 'bench');
  return dir;
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

/** The package manager as a developer runs it on the host, with caches of its own (cold). */
async function hostInstall(service: string, dir: string, home: string): Promise<void> {
  const env = { PATH: `${path.dirname(process.execPath)}:/usr/local/bin:/usr/bin:/bin`, HOME: home, ...(process.env['NODE_EXTRA_CA_CERTS'] ? { NODE_EXTRA_CA_CERTS: process.env['NODE_EXTRA_CA_CERTS'] } : {}) };
  if (service.endsWith('-py')) {
    await run('python3', ['-m', 'pip', 'install', '--no-deps', '--target', path.join(dir, '.deps'), '--no-index', '--find-links', path.join(dir, 'wheels'), '-r', 'requirements.txt', '--disable-pip-version-check'], { cwd: dir, env });
  } else {
    await run('npm', ['ci', '--no-audit', '--no-fund', `--cache=${path.join(home, 'npm')}`], { cwd: dir, env });
  }
}

async function benchService(service: string, samples: number): Promise<InstallBenchRow[]> {
  const parent = await mkdtemp(path.join(os.tmpdir(), `tracefix-bench-install-${service}-`));
  await chmod(parent, 0o711);
  try {
    const source = await checkout(parent, service, 'source');
    const host: number[] = [];
    const cold: number[] = [];
    const warm: number[] = [];
    for (let i = 0; i < samples; i++) {
      const dir = await checkout(parent, service, `host-${i}`);
      host.push(await timed(() => hostInstall(service, dir, path.join(parent, `home-${i}`))));
      const config = loadConfig({ TRACEFIX_DATA_DIR: path.join(parent, `data-${i}`), ...(process.env['NODE_EXTRA_CA_CERTS'] ? { NODE_EXTRA_CA_CERTS: process.env['NODE_EXTRA_CA_CERTS'] } : {}) });
      const manager = createWorkspaceManager({ dataDir: config.dataDir });
      for (const [phase, into] of [['cold', cold], ['warm', warm]] as const) {
        const ws = await manager.create({ runId: `bench-${phase}-${i}`, repo: { url: source } });
        const repoConfig = await loadRepoConfig(ws.dir);
        let outcome: Awaited<ReturnType<typeof installDependencies>>;
        into.push(
          await timed(async () => {
            outcome = await installDependencies({
              dataDir: config.dataDir,
              workspaceDir: ws.dir,
              repoConfig,
              image: repoConfig.image,
              bounds: { maxBytes: config.install.cacheMaxBytes, maxAgeMs: config.install.cacheMaxAgeMs },
              ...(config.install.caFile ? { caFile: config.install.caFile } : {}),
            });
          }),
        );
        const expected = phase === 'cold' ? 'fetched' : 'cache';
        if (outcome?.source !== expected) throw new Error(`${service} ${phase}: expected ${expected}, got ${outcome?.source}`);
        await manager.remove(ws);
      }
    }
    const h = median(host);
    const c = median(cold);
    const w = median(warm);
    const tool = service.endsWith('-py') ? 'pip install --target' : 'npm ci';
    return [
      { metric: `${service}: host ${tool} (baseline)`, value: `${Math.round(h)} ms`, target: '', pass: null, samples },
      { metric: `${service}: cold install (fetch + store), vs host`, value: `${(c / h).toFixed(2)} x`, target: '', pass: null, samples, note: `${Math.round(c)} ms` },
      { metric: `${service}: warm install (cache hit), vs host`, value: `${(w / h).toFixed(2)} x`, target: '≤ 0.5 x', pass: w / h <= 0.5, samples, note: `${Math.round(w)} ms; nothing fetched` },
    ];
  } finally {
    await rm(parent, { recursive: true, force: true });
  }
}

export async function runInstallBench(options: InstallBenchOptions = {}): Promise<InstallBenchRow[]> {
  const samples = options.samples ?? 5;
  return [...(await benchService('sessions-js', samples)), ...(await benchService('rates-py', samples))];
}

if (import.meta.main) {
  for (const row of await runInstallBench({ samples: Number(process.env['SAMPLES'] ?? 3) })) console.log(JSON.stringify(row));
}
