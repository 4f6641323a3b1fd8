// uv.lock (TOML, `version = 1`) as a LockGraph. The project and its workspace members are the
// packages with an `editable` or `virtual` source inside the checkout: the roots, never fetched;
// their `dependencies` and every `dev-dependencies` group are walked (tests usually need the dev
// group). Registry packages are pinned by their wheels' sha256 hashes. Git, URL, path and
// directory sources are refused: installing them means building them (running their build
// backend) or fetching from outside install.registries.
import path from 'node:path';
import { parse } from 'smol-toml';
import { InstallError } from './errors.ts';
import { normalizeName, sha256Of, type LockedEdge, type LockedPackage, type LockGraph } from './python-lock.ts';

type Table = Record<string, unknown>;

function table(v: unknown): Table {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Table) : {};
}

function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

function edges(v: unknown): LockedEdge[] {
  return list(v).flatMap((raw) => {
    const e = table(raw);
    if (typeof e['name'] !== 'string') return [];
    return [
      {
        name: normalizeName(e['name']),
        ...(typeof e['version'] === 'string' ? { version: e['version'] } : {}),
        ...(typeof e['marker'] === 'string' && e['marker'].trim() ? { marker: e['marker'] } : {}),
        extras: list(e['extra']).filter((x): x is string => typeof x === 'string').map(normalizeName),
      },
    ];
  });
}

function inside(workspaceDir: string, lockDir: string, rel: string): boolean {
  const abs = path.resolve(workspaceDir, lockDir, rel);
  return abs === workspaceDir || abs.startsWith(`${workspaceDir}${path.sep}`);
}

export function parseUvLock(text: string, lockfile: string, workspaceDir: string): LockGraph {
  let doc: Table;
  try {
    doc = parse(text) as Table;
  } catch (error) {
    throw new InstallError(`${lockfile} is not valid TOML: ${(error as Error).message.split('\n')[0]}`);
  }
  if (typeof doc['version'] !== 'number' || doc['version'] > 1) {
    throw new InstallError(`${lockfile}: lockfile version ${String(doc['version'])} is not one tracefix reads (version 1)`);
  }
  const lockDir = path.posix.dirname(lockfile);
  const packages: LockedPackage[] = [];
  for (const raw of list(doc['package'])) {
    const p = table(raw);
    const name = typeof p['name'] === 'string' ? normalizeName(p['name']) : undefined;
    if (!name) throw new InstallError(`${lockfile}: a [[package]] has no name`);
    const version = typeof p['version'] === 'string' ? p['version'] : '';
    const source = table(p['source']);
    const kind = Object.keys(source)[0];
    const where = String(Object.values(source)[0] ?? '');
    const label = `${name}${version ? `==${version}` : ''}`;
    let local = false;
    if (kind === 'editable' || kind === 'virtual') {
      if (!inside(workspaceDir, lockDir, where)) throw new InstallError(`${lockfile}: ${label} is a local project at ${where}, outside the repository`);
      local = true;
    } else if (kind === 'git') {
      throw new InstallError(`${lockfile}: ${label} comes from git (${where}); tracefix fetches only registry wheels, because building a git dependency runs its build backend`);
    } else if (kind === 'url' || kind === 'path' || kind === 'directory') {
      throw new InstallError(`${lockfile}: ${label} comes from a ${kind} (${where}), not a registry; tracefix fetches only hashed wheels from install.registries`);
    } else if (kind !== 'registry') {
      throw new InstallError(`${lockfile}: ${label} has no source tracefix knows (${kind ?? 'none'})`);
    } else if (!version) {
      throw new InstallError(`${lockfile}: ${name} from a registry has no version`);
    }
    const dev = Object.values(table(p['dev-dependencies'])).flatMap(edges);
    packages.push({
      name,
      version,
      wheelHashes: list(p['wheels']).map((w) => sha256Of(table(w)['hash'])).filter((h): h is string => h !== undefined),
      // The project's dev groups are what its tests need; a dependency's are never installed.
      dependencies: [...edges(p['dependencies']), ...(local ? dev : [])],
      optional: Object.fromEntries(Object.entries(table(p['optional-dependencies'])).map(([extra, deps]) => [normalizeName(extra), edges(deps)])),
      local,
    });
  }
  const locals = packages.filter((p) => p.local);
  const indexes = [...new Set(list(doc['package']).map((p) => table(table(p)['source'])['registry']).filter((r): r is string => typeof r === 'string' && /^https?:\/\//i.test(r)))];
  return { packages, indexes, roots: locals.length ? locals.map((p) => ({ name: p.name, version: p.version, extras: [] })) : undefined };
}
