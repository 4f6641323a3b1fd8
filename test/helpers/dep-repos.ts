// TEST HELPER: repositories with real dependencies. JS: `ms` from the npm registry and a local
// `file:` tarball (npm pack) whose install script writes marker files, both pinned by a
// package-lock.json npm itself wrote. Python: a wheel built here (PyPI is not reachable) in a
// wheel directory inside the repository, pinned by requirements.txt.
import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { gitIn } from './git-repo.ts';

const run = promisify(execFile);

/** npm as a user runs it, with a cache of the test's own (never the machine's ~/.npm). */
const CA = process.env['NODE_EXTRA_CA_CERTS'] ? { NODE_EXTRA_CA_CERTS: process.env['NODE_EXTRA_CA_CERTS'] } : {};

export async function npmIn(dir: string, cache: string, ...args: string[]): Promise<string> {
  const env = {
    ...CA, PATH: `${path.dirname(process.execPath)}:${process.env['PATH']}`, HOME: cache, npm_config_cache: path.join(cache, 'npm'), npm_config_update_notifier: 'false' };
  const { stdout } = await run('npm', args, { cwd: dir, env, maxBuffer: 16 << 20 });
  return stdout;
}

export interface JsRepoOptions {
  /** Absolute host path the dependency's install script writes (it must never appear on the host). */
  marker: string;
  /** ms version range to pin. @defaultValue 2.1.3 */
  ms?: string;
  tracefixYml?: string;
}

/** A tiny service using `ms` and a vendored dependency with an install script; one commit. */
export async function makeJsDepsRepo(dir: string, cache: string, options: JsRepoOptions): Promise<string> {
  const dep = path.join(dir, '..', `marker-dep-src-${path.basename(dir)}`);
  await mkdir(dep, { recursive: true });
  // The install script writes outside its package (where a host fetch would leave a trace) and
  // inside it (where a sandbox build is visible to the run).
  await writeFile(
    path.join(dep, 'install.js'),
    `const fs = require('fs');\ntry { fs.writeFileSync(${JSON.stringify(options.marker)}, 'ran'); } catch {}\nfs.writeFileSync(__dirname + '/built.txt', 'built by install script');\n`,
  );
  await writeFile(path.join(dep, 'package.json'), JSON.stringify({ name: 'marker-dep', version: '1.0.0', main: 'index.js', scripts: { install: 'node install.js' } }, null, 2));
  await writeFile(path.join(dep, 'index.js'), "module.exports = { built: () => require('fs').existsSync(__dirname + '/built.txt') };\n");
  await mkdir(path.join(dir, 'vendor'), { recursive: true });
  await run('npm', ['pack', '--pack-destination', path.join(dir, 'vendor'), '--ignore-scripts', dep], { cwd: dep, env: { PATH: `${path.dirname(process.execPath)}:${process.env['PATH']}`, HOME: cache, npm_config_cache: path.join(cache, 'npm') } });
  await writeFile(
    path.join(dir, 'package.json'),
    JSON.stringify({ name: 'svc', version: '1.0.0', private: true, type: 'commonjs', scripts: { test: 'node --test' }, dependencies: { ms: options.ms ?? '2.1.3', 'marker-dep': 'file:vendor/marker-dep-1.0.0.tgz' } }, null, 2),
  );
  await writeFile(path.join(dir, 'timeout.js'), "const ms = require('ms');\nexports.timeoutMs = (text) => ms(text);\n");
  await mkdir(path.join(dir, 'test'), { recursive: true });
  await writeFile(
    path.join(dir, 'test', 'timeout.test.js'),
    "const test = require('node:test');\nconst assert = require('node:assert');\nconst { timeoutMs } = require('../timeout.js');\ntest('parses durations', () => assert.equal(timeoutMs('2s'), 2000));\n",
  );
  if (options.tracefixYml) await writeFile(path.join(dir, '.tracefix.yml'), options.tracefixYml);
  await writeFile(path.join(dir, '.gitignore'), 'node_modules/\n');
  await npmIn(dir, cache, 'install', '--package-lock-only', '--ignore-scripts', '--no-audit', '--no-fund');
  await gitIn(dir, 'init', '-q', '-b', 'main');
  await gitIn(dir, 'add', '-A');
  await gitIn(dir, 'commit', '-q', '-m', 'service');
  return dir;
}

const WHEEL_SCRIPT = `
import base64, hashlib, sys, zipfile
name, version, out, code = sys.argv[1:5]
dist = f"{name}-{version}.dist-info"
files = {
    f"{name}/__init__.py": code,
    f"{dist}/METADATA": f"Metadata-Version: 2.1\\nName: {name}\\nVersion: {version}\\n",
    f"{dist}/WHEEL": "Wheel-Version: 1.0\\nGenerator: tracefix-test\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n",
}
record = []
for p, text in files.items():
    data = text.encode()
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    record.append(f"{p},sha256={digest},{len(data)}")
record.append(f"{dist}/RECORD,,")
files[f"{dist}/RECORD"] = "\\n".join(record) + "\\n"
path = f"{out}/{name}-{version}-py3-none-any.whl"
with zipfile.ZipFile(path, "w") as z:
    for p, text in files.items():
        z.writestr(p, text)
print(path)
`;

/** A pure-Python wheel with one module; returns its path. */
export async function makeWheel(outDir: string, name: string, version: string, code: string): Promise<string> {
  await mkdir(outDir, { recursive: true });
  const { stdout } = await run('python3', ['-c', WHEEL_SCRIPT, name, version, outDir, code]);
  return stdout.trim();
}

export async function sha256File(file: string): Promise<string> {
  const { createHash } = await import('node:crypto');
  return createHash('sha256').update(await readFile(file)).digest('hex');
}

/** A Python service using `tinyunits` from ./wheels, pinned by requirements.txt; one commit. */
export async function makePyDepsRepo(dir: string, requirements?: string): Promise<string> {
  await makeWheel(path.join(dir, 'wheels'), 'tinyunits', '1.0.0', 'def seconds(text):\n    return int(text.rstrip("s"))\n');
  await makeWheel(path.join(dir, 'wheels'), 'tinyunits', '1.1.0', 'def seconds(text):\n    return int(text.rstrip("s"))\n');
  await writeFile(path.join(dir, 'requirements.txt'), requirements ?? 'tinyunits==1.0.0\n');
  await writeFile(path.join(dir, '.tracefix.yml'), 'install:\n  registries: ["./wheels"]\n');
  await writeFile(path.join(dir, 'timeout.py'), 'import tinyunits\n\n\ndef timeout_ms(text):\n    return tinyunits.seconds(text) * 1000\n');
  await writeFile(path.join(dir, 'test_timeout.py'), 'from timeout import timeout_ms\n\n\ndef test_parses():\n    assert timeout_ms("2s") == 2000\n');
  await gitIn(dir, 'init', '-q', '-b', 'main');
  await gitIn(dir, 'add', '-A');
  await gitIn(dir, 'commit', '-q', '-m', 'service');
  return dir;
}

export const tmpRoot = os.tmpdir();
