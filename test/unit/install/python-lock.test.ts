// uv.lock and poetry.lock read into one graph: what is refused (sources that would be built or
// fetched from outside the registries), which packages a walk selects under given marker verdicts
// (edges, package markers, uv forks and extras, cycles), the hashed requirements rendered, and the
// host interpreter's own verdicts on real markers.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parsePoetryLock, pyprojectRoots } from '../../../src/install/poetry-lock.ts';
import { graphMarkers, normalizeName, parseRequirement, renderRequirements, selectPackages } from '../../../src/install/python-lock.ts';
import { evaluateMarkers } from '../../../src/install/python-markers.ts';
import { parseUvLock } from '../../../src/install/uv-lock.ts';

const WS = '/work/checkout';
const H = (c: string) => c.repeat(64);
const wheel = (name: string, version: string, hash: string) => `wheels = [{ url = "https://files.example/${name}-${version}-py3-none-any.whl", hash = "sha256:${hash}" }]`;
const reg = 'source = { registry = "https://pypi.org/simple" }';

function uv(body: string): string {
  return `version = 1\nrevision = 2\n\n[[package]]\nname = "svc"\nversion = "0.1.0"\nsource = { virtual = "." }\n${body}`;
}

const names = (packages: readonly { name: string; version: string }[]) => packages.map((p) => `${p.name}==${p.version}`);

describe('uv.lock', () => {
  it('walks from the project through edges whose marker holds, with its dev groups, forks and extras', () => {
    const graph = parseUvLock(
      uv(`dependencies = [
    { name = "Req_Lib", extra = ["socks"] },
    { name = "numpy", version = "1.26.4", marker = "python_full_version < '3.12'" },
    { name = "numpy", version = "2.1.0", marker = "python_full_version >= '3.12'" },
    { name = "colorama", marker = "sys_platform == 'win32'" },
]
[package.dev-dependencies]
dev = [{ name = "pytest-lite" }]

[[package]]
name = "req-lib"
version = "2.0.0"
${reg}
dependencies = [{ name = "idna" }]
${wheel('req_lib', '2.0.0', H('1'))}
[package.optional-dependencies]
socks = [{ name = "pysocks" }]

[[package]]
name = "idna"
version = "3.7"
${reg}
dependencies = [{ name = "req-lib" }]
${wheel('idna', '3.7', H('2'))}

[[package]]
name = "pysocks"
version = "1.7.1"
${reg}
${wheel('pysocks', '1.7.1', H('3'))}

[[package]]
name = "numpy"
version = "1.26.4"
${reg}
${wheel('numpy', '1.26.4', H('4'))}

[[package]]
name = "numpy"
version = "2.1.0"
${reg}
${wheel('numpy', '2.1.0', H('5'))}

[[package]]
name = "colorama"
version = "0.4.6"
${reg}
${wheel('colorama', '0.4.6', H('6'))}

[[package]]
name = "pytest-lite"
version = "1.0.0"
${reg}
${wheel('pytest_lite', '1.0.0', H('7'))}

[[package]]
name = "unreached"
version = "9.9.9"
${reg}
sdist = { url = "https://files.example/unreached-9.9.9.tar.gz", hash = "sha256:${H('8')}" }
`),
      'uv.lock',
      WS,
    );
    assert.deepEqual(graph.roots, [{ name: 'svc', version: '0.1.0', extras: [] }]);
    assert.deepEqual(graph.indexes, ['https://pypi.org/simple']);
    assert.deepEqual(graphMarkers(graph).sort(), ["python_full_version < '3.12'", "python_full_version >= '3.12'", "sys_platform == 'win32'"]);
    // A Linux CPython 3.11: the 1.26 fork, no colorama, the extra's pysocks, the idna ↔ req-lib cycle once.
    const on311 = selectPackages(graph, (m) => m === "python_full_version < '3.12'");
    assert.deepEqual(names(on311), ['idna==3.7', 'numpy==1.26.4', 'pysocks==1.7.1', 'pytest-lite==1.0.0', 'req-lib==2.0.0']);
    const on313 = selectPackages(graph, (m) => m === "python_full_version >= '3.12'");
    assert.deepEqual(names(on313), ['idna==3.7', 'numpy==2.1.0', 'pysocks==1.7.1', 'pytest-lite==1.0.0', 'req-lib==2.0.0']);
    assert.equal(renderRequirements(on311, 'uv.lock').split('\n')[0], `idna==3.7 --hash=sha256:${H('2')}`);
  });

  it('refuses sources that would be built or fetched from outside the registries, naming the entry', () => {
    const one = (source: string) => () => parseUvLock(uv(`\n[[package]]\nname = "x"\nversion = "1.0.0"\nsource = ${source}\n`), 'uv.lock', WS);
    assert.throws(one('{ git = "https://github.com/o/x?rev=1#abc" }'), /uv\.lock: x==1\.0\.0 comes from git .*runs its build backend/);
    assert.throws(one('{ url = "https://evil.example/x-1.0.0.tar.gz" }'), /x==1\.0\.0 comes from a url .*not a registry/);
    assert.throws(one('{ directory = "libs/x" }'), /x==1\.0\.0 comes from a directory/);
    assert.throws(one('{ path = "vendor/x-1.0.0.whl" }'), /x==1\.0\.0 comes from a path/);
    assert.throws(one('{ editable = "../../elsewhere" }'), /x==1\.0\.0 is a local project at \.\.\/\.\.\/elsewhere, outside the repository/);
    assert.throws(() => parseUvLock('version = 2\n', 'uv.lock', WS), /lockfile version 2 is not one tracefix reads/);
    assert.throws(() => parseUvLock('version = [1\n', 'uv.lock', WS), /uv\.lock is not valid TOML/);
  });

  it('renders nothing it cannot pin by a wheel hash', () => {
    const graph = parseUvLock(uv(`dependencies = [{ name = "src-only" }]\n\n[[package]]\nname = "src-only"\nversion = "1.0.0"\n${reg}\nsdist = { url = "https://files.example/src-only-1.0.0.tar.gz", hash = "sha256:${H('9')}" }\n`), 'uv.lock', WS);
    assert.throws(() => renderRequirements(selectPackages(graph, () => true), 'uv.lock'), /uv\.lock: src-only==1\.0\.0 has no wheel with a sha256 hash/);
  });
});

describe('poetry.lock', () => {
  const lock = (extra = '') => `[[package]]
name = "Tiny.Units"
version = "1.0.0"
optional = false
python-versions = ">=3.8"
groups = ["main"]
files = [
    {file = "tiny_units-1.0.0-py3-none-any.whl", hash = "sha256:${H('a')}"},
    {file = "tiny_units-1.0.0.tar.gz", hash = "sha256:${H('b')}"},
]

[package.dependencies]
helper = ">=1"
fancy = {version = ">=1", optional = true}
winreg-x = {version = "*", markers = "sys_platform == \\"win32\\""}

[[package]]
name = "helper"
version = "1.0.0"
groups = ["main", "dev"]
markers = {main = "python_version >= \\"3.8\\"", dev = "python_version >= \\"3.9\\""}
files = [{file = "helper-1.0.0-py3-none-any.whl", hash = "sha256:${H('c')}"}]

[[package]]
name = "fancy"
version = "1.0.0"
files = [{file = "fancy-1.0.0-py3-none-any.whl", hash = "sha256:${H('d')}"}]

[[package]]
name = "winreg-x"
version = "1.0.0"
files = [{file = "winreg_x-1.0.0-cp311-cp311-win_amd64.whl", hash = "sha256:${H('e')}"}]
${extra}
[metadata]
lock-version = "2.1"
python-versions = "^3.8"
content-hash = "x"
`;

  it('walks from pyproject\'s dependencies, skipping optional edges and markers that do not hold', () => {
    const pyproject = '[tool.poetry.dependencies]\npython = "^3.8"\ntiny-units = "^1.0"\n';
    const graph = parsePoetryLock(lock(), 'poetry.lock', { text: pyproject, file: 'pyproject.toml' });
    assert.deepEqual(graph.roots, [{ name: 'tiny-units', extras: [] }]);
    const helperMarker = '(python_version >= "3.8") or (python_version >= "3.9")';
    assert.ok(graphMarkers(graph).includes(helperMarker), graphMarkers(graph).join('\n'));
    assert.deepEqual(names(selectPackages(graph, (m) => m === helperMarker)), ['helper==1.0.0', 'tiny-units==1.0.0']);
    // The package-level marker of helper does not hold: it is left out even though an edge reaches it.
    assert.deepEqual(names(selectPackages(graph, () => false)), ['tiny-units==1.0.0']);
    // Without a pyproject every locked package is a root.
    assert.equal(parsePoetryLock(lock(), 'poetry.lock', { text: undefined, file: 'pyproject.toml' }).roots, undefined);
  });

  it('refuses git, directory and url sources and lock versions it does not know', () => {
    const git = lock('\n[[package]]\nname = "fromgit"\nversion = "0.1"\nfiles = []\n\n[package.source]\ntype = "git"\nurl = "https://github.com/o/fromgit.git"\nreference = "main"\n');
    assert.throws(() => parsePoetryLock(git, 'poetry.lock', { text: undefined, file: 'pyproject.toml' }), /poetry\.lock: fromgit==0\.1 comes from git/);
    const dir = lock('\n[[package]]\nname = "mylib"\nversion = "0.1"\nfiles = []\n\n[package.source]\ntype = "directory"\nurl = "libs/mylib"\n');
    assert.throws(() => parsePoetryLock(dir, 'poetry.lock', { text: undefined, file: 'pyproject.toml' }), /mylib==0\.1 comes from a directory source/);
    const legacy = lock('\n[[package]]\nname = "private"\nversion = "0.1"\nfiles = []\n\n[package.source]\ntype = "legacy"\nurl = "https://pypi.example/simple"\nreference = "corp"\n');
    assert.equal(parsePoetryLock(legacy, 'poetry.lock', { text: undefined, file: 'pyproject.toml' }).packages.length, 5);
    assert.deepEqual(parsePoetryLock(legacy, 'poetry.lock', { text: undefined, file: 'pyproject.toml' }).indexes, ['https://pypi.example/simple']);
    assert.throws(() => parsePoetryLock('[metadata]\nlock-version = "3.0"\n', 'poetry.lock', { text: undefined, file: 'pyproject.toml' }), /lock-version 3\.0 is not one tracefix reads/);
  });

  it('reads the roots of PEP 621/735 and poetry tables alike', () => {
    const roots = pyprojectRoots(
      `[project]\ndependencies = ["Requests[socks] >=2 ; python_version >= '3.8'", "attrs"]\n[dependency-groups]\ntest = ["pytest>=8", { include-group = "dev" }]\n[tool.poetry.group.lint.dependencies]\nruff = [{ version = "0.5", markers = "sys_platform != 'win32'" }, { version = "0.4", markers = "sys_platform == 'win32'" }]\n`,
      'pyproject.toml',
    );
    assert.deepEqual(roots, [
      { name: 'requests', extras: ['socks'], marker: "python_version >= '3.8'" },
      { name: 'attrs', extras: [] },
      { name: 'pytest', extras: [] },
      { name: 'ruff', extras: [], marker: "sys_platform != 'win32'" },
      { name: 'ruff', extras: [], marker: "sys_platform == 'win32'" },
    ]);
    assert.equal(pyprojectRoots('[tool.black]\nline-length = 100\n', 'pyproject.toml'), undefined);
    assert.equal(normalizeName('Foo_Bar..baz'), 'foo-bar-baz');
    assert.equal(parseRequirement('  # nothing'), undefined);
  });
});

describe('markers, by the host interpreter', () => {
  it('evaluates real markers and names an invalid one', async (t) => {
    const scratch = await mkdtemp(path.join(os.tmpdir(), 'tracefix-markers-'));
    t.after(() => rm(scratch, { recursive: true, force: true }));
    const verdicts = await evaluateMarkers({ markers: ["sys_platform == 'win32'", "python_version >= '3'", "os_name == 'posix' and platform_system == 'Linux'"], scratch, env: {}, lockfile: 'uv.lock' });
    assert.equal(verdicts.holds("sys_platform == 'win32'"), false);
    assert.equal(verdicts.holds("python_version >= '3'"), true);
    assert.equal(verdicts.holds("os_name == 'posix' and platform_system == 'Linux'"), process.platform === 'linux');
    assert.equal(verdicts.environment['sys_platform'], process.platform);
    await assert.rejects(evaluateMarkers({ markers: ['python_version >>> 3'], scratch, env: {}, lockfile: 'uv.lock' }), /uv\.lock: the marker "python_version >>> 3" is not valid PEP 508/);
  });
});
