// poetry.lock (TOML, lock-version 1.x/2.x) as a LockGraph. The lock does not contain the project
// itself, so the roots are the dependencies pyproject.toml declares beside it: `[project]
// dependencies` and `[dependency-groups]` (PEP 621/735), `[tool.poetry.dependencies]`,
// `[tool.poetry.dev-dependencies]` and every `[tool.poetry.group.*.dependencies]` (tests usually
// need the dev group). Without a readable pyproject every locked package is a root. Markers are read
// where poetry writes them: on dependency tables (`{ version, markers }`) and, in lock-version 2.1,
// on the package itself. Optional dependencies (extras) are not installed. Git, directory, file and
// URL sources are refused; a `legacy` (private index) source is fetched from install.registries.
import { parse } from 'smol-toml';
import { InstallError } from './errors.ts';
import { normalizeName, parseRequirement, sha256Of, type LockedEdge, type LockedPackage, type LockGraph } from './python-lock.ts';

type Table = Record<string, unknown>;

function table(v: unknown): Table {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Table) : {};
}

function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

function parseToml(text: string, file: string): Table {
  try {
    return parse(text) as Table;
  } catch (error) {
    throw new InstallError(`${file} is not valid TOML: ${(error as Error).message.split('\n')[0]}`);
  }
}

/** A poetry dependency table (`name = "^1.0"`, `name = { version, markers, optional }` or a list of those). */
function poetryEdges(deps: unknown): LockedEdge[] {
  const out: LockedEdge[] = [];
  for (const [name, spec] of Object.entries(table(deps))) {
    if (name === 'python') continue; // the project's Python requirement, not a package
    for (const one of Array.isArray(spec) ? spec : [spec]) {
      const t = table(one);
      if (t['optional'] === true) continue;
      const marker = typeof t['markers'] === 'string' && t['markers'].trim() ? t['markers'] : undefined;
      out.push({ name: normalizeName(name), extras: [], ...(marker ? { marker } : {}) });
    }
  }
  return out;
}

/** Package-level markers: a string, or per group a string (the package applies where any holds). */
function packageMarker(v: unknown): string | undefined {
  if (typeof v === 'string') return v.trim() || undefined;
  const parts = Object.values(table(v)).filter((m): m is string => typeof m === 'string' && m.trim() !== '');
  if (parts.length === 0) return undefined;
  return parts.length === 1 ? parts[0] : parts.map((m) => `(${m})`).join(' or ');
}

/** The dependencies pyproject.toml declares, or undefined when it declares none (or is unreadable). */
export function pyprojectRoots(text: string | undefined, file: string): LockedEdge[] | undefined {
  if (text === undefined) return undefined;
  const doc = parseToml(text, file);
  const roots: LockedEdge[] = [];
  const pep508 = (v: unknown) => {
    for (const s of list(v)) {
      const edge = typeof s === 'string' ? parseRequirement(s) : undefined;
      if (edge) roots.push(edge);
    }
  };
  pep508(table(doc['project'])['dependencies']);
  for (const group of Object.values(table(doc['dependency-groups']))) pep508(group);
  const poetry = table(table(doc['tool'])['poetry']);
  roots.push(...poetryEdges(poetry['dependencies']), ...poetryEdges(poetry['dev-dependencies']));
  for (const group of Object.values(table(poetry['group']))) roots.push(...poetryEdges(table(group)['dependencies']));
  return roots.length ? roots : undefined;
}

export function parsePoetryLock(text: string, lockfile: string, pyproject: { text: string | undefined; file: string }): LockGraph {
  const doc = parseToml(text, lockfile);
  const lockVersion = String(table(doc['metadata'])['lock-version'] ?? '');
  if (!/^[12]\./.test(lockVersion)) throw new InstallError(`${lockfile}: lock-version ${lockVersion || '(none)'} is not one tracefix reads (1.x or 2.x)`);
  const packages: LockedPackage[] = [];
  const indexes = new Set<string>();
  for (const raw of list(doc['package'])) {
    const p = table(raw);
    if (typeof p['name'] !== 'string' || typeof p['version'] !== 'string') throw new InstallError(`${lockfile}: a [[package]] has no name or version`);
    const name = normalizeName(p['name']);
    const label = `${name}==${p['version']}`;
    const source = table(p['source']);
    const type = typeof source['type'] === 'string' ? source['type'] : undefined;
    if (type === 'git') throw new InstallError(`${lockfile}: ${label} comes from git (${String(source['url'])}); tracefix fetches only registry wheels, because building a git dependency runs its build backend`);
    if (type !== undefined && type !== 'legacy') {
      throw new InstallError(`${lockfile}: ${label} comes from a ${type} source (${String(source['url'])}), not a registry; tracefix fetches only hashed wheels from install.registries`);
    }
    if (type === 'legacy' && typeof source['url'] === 'string') indexes.add(source['url']);
    const marker = packageMarker(p['markers']);
    packages.push({
      name,
      version: p['version'],
      wheelHashes: list(p['files'])
        .map(table)
        .filter((f) => typeof f['file'] === 'string' && f['file'].endsWith('.whl'))
        .map((f) => sha256Of(f['hash']))
        .filter((h): h is string => h !== undefined),
      ...(marker ? { marker } : {}),
      dependencies: poetryEdges(p['dependencies']),
      optional: {},
      local: false,
    });
  }
  return { packages, roots: pyprojectRoots(pyproject.text, pyproject.file), indexes: [...indexes] };
}
