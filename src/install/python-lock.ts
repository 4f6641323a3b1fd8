// A Python lockfile (uv.lock, poetry.lock) as one graph, and what tracefix installs from it: the
// packages reachable from the project through edges whose environment markers hold on the
// interpreter the fetch installs for, each rendered as a hashed requirement
// (`name==version --hash=sha256:…`) for the same `pip install --require-hashes --no-deps
// --only-binary :all:` a hashed requirements.txt gets. pip then fetches from install.registries;
// the lockfile's own index URLs are not used, and the hashes make a mirror serve the same files.
import { InstallError } from './errors.ts';

export interface LockedEdge {
  /** Normalized (PEP 503) name of the package depended on. */
  name: string;
  /** Set when the lockfile pins the edge to one of several versions of the name (uv forks). */
  version?: string;
  /** PEP 508 marker under which the edge applies; absent: always. */
  marker?: string;
  /** Extras of the target the edge asks for (uv only; their edges are in `optional`). */
  extras: readonly string[];
}

export interface LockedPackage {
  name: string;
  version: string;
  /** sha256 hex digests of the package's wheels (sdists are never installed: --only-binary). */
  wheelHashes: readonly string[];
  /** Package-level marker (poetry 2 locks): the package applies only where it holds. */
  marker?: string;
  dependencies: readonly LockedEdge[];
  /** Extra name → its edges. */
  optional: Readonly<Record<string, readonly LockedEdge[]>>;
  /** The project itself or a workspace member: never fetched, its dependencies are. */
  local: boolean;
}

export interface LockGraph {
  packages: readonly LockedPackage[];
  /** The project's own dependencies; undefined when the lockfile does not say (every package is a root). */
  roots: readonly LockedEdge[] | undefined;
  /** The http(s) package indexes the lockfile was made against (for a hint when pip finds nothing). */
  indexes: readonly string[];
}

/** PEP 503 normalization: `Foo_Bar.baz` and `foo-bar-baz` are one package. */
export function normalizeName(name: string): string {
  return name.trim().toLowerCase().replace(/[-_.]+/g, '-');
}

/** Every marker text of the graph, to evaluate in one interpreter call. */
export function graphMarkers(graph: LockGraph): string[] {
  const out = new Set<string>();
  const edges = (list: readonly LockedEdge[]) => list.forEach((e) => e.marker && out.add(e.marker));
  edges(graph.roots ?? []);
  for (const p of graph.packages) {
    if (p.marker) out.add(p.marker);
    edges(p.dependencies);
    Object.values(p.optional).forEach(edges);
  }
  return [...out];
}

/**
 * The packages to fetch: reachable from the roots through edges whose marker holds, skipping
 * packages whose own marker does not. Local packages are walked through, never returned.
 */
export function selectPackages(graph: LockGraph, holds: (marker: string) => boolean): LockedPackage[] {
  const byName = new Map<string, LockedPackage[]>();
  for (const p of graph.packages) byName.set(p.name, [...(byName.get(p.name) ?? []), p]);
  const roots = graph.roots ?? graph.packages.map((p) => ({ name: p.name, version: p.version, extras: [] }));
  const selected = new Map<LockedPackage, Set<string>>();
  const queue: LockedEdge[] = [...roots];
  for (let edge = queue.shift(); edge; edge = queue.shift()) {
    if (edge.marker && !holds(edge.marker)) continue;
    const candidates = (byName.get(edge.name) ?? []).filter((p) => (edge.version === undefined || p.version === edge.version) && (!p.marker || holds(p.marker)));
    for (const p of candidates) {
      const seen = selected.get(p);
      const fresh = seen ? edge.extras.filter((x) => !seen.has(x)) : edge.extras;
      if (seen && fresh.length === 0) continue;
      if (!seen) queue.push(...p.dependencies);
      for (const extra of fresh) queue.push(...(p.optional[extra] ?? []));
      selected.set(p, new Set([...(seen ?? []), ...edge.extras]));
    }
  }
  return [...selected.keys()].filter((p) => !p.local).sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version));
}

/** The hashed requirements pip installs; throws when a package has no wheel hash to pin it by. */
export function renderRequirements(packages: readonly LockedPackage[], lockfile: string): string {
  const lines: string[] = [];
  for (const p of packages) {
    if (p.wheelHashes.length === 0) {
      throw new InstallError(`${lockfile}: ${p.name}==${p.version} has no wheel with a sha256 hash (only a source distribution, or no hashes); tracefix installs hashed wheels only, because building an sdist runs its code`);
    }
    lines.push(`${p.name}==${p.version} ${p.wheelHashes.map((h) => `--hash=sha256:${h}`).join(' ')}`);
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}

/** `sha256:abc…` → `abc…`; undefined for another algorithm (pip's --require-hashes accepts sha256 here). */
export function sha256Of(hash: unknown): string | undefined {
  if (typeof hash !== 'string') return undefined;
  const m = /^sha256:([0-9a-f]{64})$/i.exec(hash.trim());
  return m?.[1]?.toLowerCase();
}

/** A PEP 508 requirement string's name, extras and marker (`requests[socks]>=2 ; python_version < "3.9"`). */
export function parseRequirement(text: string): LockedEdge | undefined {
  const [spec = '', ...rest] = text.split(';');
  const m = /^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(?:\[([^\]]*)\])?/.exec(spec);
  if (!m?.[1]) return undefined;
  const marker = rest.join(';').trim();
  const extras = (m[2] ?? '').split(',').map((x) => normalizeName(x)).filter((x) => x !== '');
  return { name: normalizeName(m[1]), extras, ...(marker ? { marker } : {}) };
}
