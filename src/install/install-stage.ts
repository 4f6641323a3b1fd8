// The dependency stage, on the host, before the sandbox exists: check the lockfile against the
// allowed registries, then restore the tree from the cache or fetch it (no scripts, no builds) and
// cache it. What must run (dependency lifecycle scripts, the repository's install command) runs
// afterwards in the sandbox, offline: see sandbox-step.ts.
import { access, mkdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { RepoConfig } from '../../schemas/repo-config.ts';
import { handOverWorkspace } from '../sandbox/workspace-owner.ts';
import type { Logger } from '../telemetry.ts';
import { readSmallFile } from '../workspace/safe-read.ts';
import { cacheKey, copyTree, lookup, prune, scratchDir, sha256, store, type CacheBounds } from './cache.ts';
import { InstallError, trimOutput } from './errors.ts';
import { fetchPath, fetchUser, runFetchProcess, unreachableAncestor } from './fetch-process.ts';
import { fetchPlan, isPythonManager, PYTHON_DEPS_DIR, type FetchManager, type RegistryCredentials } from './managers.ts';
import { checkLockfile, registryPrefix, requirementLines } from './policy.ts';
import { graphMarkers, renderRequirements, selectPackages, type LockGraph } from './python-lock.ts';
import { evaluateMarkers } from './python-markers.ts';

export interface InstallInput {
  dataDir: string;
  workspaceDir: string;
  repoConfig: RepoConfig;
  /** The sandbox image: the runtime the tree will run on, part of the cache key. */
  image: string;
  credentials?: RegistryCredentials;
  /** Extra CA bundle for the registries' TLS (NODE_EXTRA_CA_CERTS for npm, PIP_CERT for pip). */
  caFile?: string;
  bounds: CacheBounds;
  /**
   * Directories searched before the host's PATH for the package manager: the operator's pinned
   * pnpm or yarn (their npm tarballs' entry scripts, or corepack shims) where the host has none.
   * The service and the CLI pass TRACEFIX_INSTALL_TOOL_PATH (config.install.toolPath).
   */
  toolPath?: readonly string[];
  /** Unprivileged uid the fetch runs as when tracefix is root. @defaultValue 10001 */
  uid?: number;
  log?: Logger;
  signal?: AbortSignal;
}

export interface InstallOutcome {
  manager: FetchManager;
  lockfile: string;
  /** `cache`: restored, nothing fetched. `fetched`: the registry was asked. `committed`: the checkout has its own. */
  source: 'cache' | 'fetched' | 'committed';
  key?: string;
  packages: number;
  installScripts: number;
  durationMs: number;
  /** Environment the sandbox needs to find the tree (PYTHONPATH for pip's target directory). */
  sandboxEnv: Record<string, string>;
}

const LOCKFILE_MAX_BYTES = 64 * 1024 * 1024;

async function exists(p: string): Promise<boolean> {
  return access(p).then(
    () => true,
    () => false,
  );
}

/** Versions by argv, for 10 minutes: starting npm only to ask its version costs a second. */
const versions = new Map<string, { value: string; at: number }>();
const VERSION_TTL_MS = 600_000;

async function version(argv: readonly string[], scratch: string, env: Record<string, string>, user: ReturnType<typeof fetchUser>, cwd: string): Promise<string> {
  // By PATH too: a tool directory's pnpm is not the host's.
  const memoKey = `${env['PATH'] ?? ''}\0${argv.join(' ')}`;
  const memo = versions.get(memoKey);
  if (memo && Date.now() - memo.at < VERSION_TTL_MS) return memo.value;
  const value = await askVersion(argv, scratch, env, user, cwd);
  versions.set(memoKey, { value, at: Date.now() });
  return value;
}

async function askVersion(argv: readonly string[], scratch: string, env: Record<string, string>, user: ReturnType<typeof fetchUser>, cwd: string): Promise<string> {
  const r = await runFetchProcess({ argv, cwd, scratch, env, ...(user ? { user } : {}), timeoutMs: 60_000 }).catch((error: NodeJS.ErrnoException) => {
    const how = error.code === 'ENOENT' ? 'was not found' : `could not be started (${error.code ?? error.message})`;
    throw new InstallError(
      `${argv[0]} ${how} on the tracefix host: install it there, or put a directory holding it in TRACEFIX_INSTALL_TOOL_PATH (${toolPathOf(env)}), or set install.manager: none in .tracefix.yml`,
    );
  });
  if (r.exitCode !== 0) throw new InstallError(`${argv.join(' ')} failed (exit ${r.exitCode}): is ${argv[0]} installed on the tracefix host?`, trimOutput(r.output));
  return r.output.trim().split('\n').pop() ?? '';
}

/** A hint when a Python lockfile was made against an index install.registries does not list (pip asks only those). */
function unlistedIndexes(graph: LockGraph | undefined, registries: readonly string[], lockfile: string): string {
  const allowed = new Set(registries.map(registryPrefix));
  const unlisted = (graph?.indexes ?? []).filter((u) => !allowed.has(registryPrefix(u)));
  return unlisted.length ? `; ${lockfile} was locked against ${unlisted.slice(0, 2).join(', ')}, which install.registries does not list (pip fetches only from those)` : '';
}

/** The tool path part of a fetch's PATH, for messages: never the host's own directories. */
function toolPathOf(env: Record<string, string>): string {
  const host = fetchPath();
  const full = env['PATH'] ?? host;
  return full === host ? 'unset' : `now ${full.slice(0, full.length - host.length - 1)}`;
}

/** Each tool path directory exists and the fetch's uid can reach it: a typo names itself, not "pnpm not found". */
async function checkToolPath(dirs: readonly string[], user: ReturnType<typeof fetchUser>): Promise<void> {
  for (const dir of dirs) {
    const isDir = await stat(dir).then(
      (s) => s.isDirectory(),
      () => false,
    );
    if (!isDir) throw new InstallError(`TRACEFIX_INSTALL_TOOL_PATH names ${dir}, which is not a directory on the tracefix host`);
    const blocked = user ? await unreachableAncestor(dir, user) : undefined;
    if (blocked) throw new InstallError(`TRACEFIX_INSTALL_TOOL_PATH names ${dir}, which the fetch's uid ${user!.uid} cannot reach: ${blocked} is not searchable by it (chmod o+x)`);
  }
}

/** Fetches or restores the repository's dependencies into its workspace. Undefined: nothing to fetch. */
export async function installDependencies(input: InstallInput): Promise<InstallOutcome | undefined> {
  const install = input.repoConfig.install;
  if (!install || install.manager === 'none' || !install.lockfile) return undefined;
  const started = Date.now();
  const manager = install.manager;
  const lockfile = install.lockfile;
  const { workspaceDir, log } = input;
  const readRel = (rel: string) => readSmallFile(workspaceDir, rel, LOCKFILE_MAX_BYTES);
  const facts = await checkLockfile({ manager, lockfile, registries: install.registries, workspaceDir, readRel });
  const python = isPythonManager(manager);
  const sandboxEnv: Record<string, string> = python ? { PYTHONPATH: `/workspace/${PYTHON_DEPS_DIR}` } : {};
  const base = { manager, lockfile, packages: facts.packages, installScripts: facts.installScripts, sandboxEnv };
  if (!python && (await exists(path.join(workspaceDir, 'node_modules')))) {
    return { ...base, source: 'committed', durationMs: Date.now() - started };
  }

  const lockText = (await readRel(lockfile)) ?? '';
  const hashed = manager === 'pip' && requirementLines(lockText).some((l) => /\s--hash[=\s]/.test(l));
  const user = fetchUser(input.uid ?? 10001);
  const scratch = await scratchDir(input.dataDir);
  try {
    for (const [what, dir] of [['the dependency cache', scratch], ['the checkout', workspaceDir]] as const) {
      const blocked = user ? await unreachableAncestor(dir, user) : undefined;
      if (blocked) throw new InstallError(`the fetch runs as uid ${user!.uid}, which cannot reach ${what}: ${blocked} is not searchable by it (chmod o+x, or a directory it can reach)`);
    }
    // uv.lock / poetry.lock: pip installs the hashed requirements drawn from the graph, written in the scratch dir.
    const drawn = path.join(scratch, 'requirements.locked.txt');
    const plan = fetchPlan({ manager, lockfile: facts.graph ? drawn : lockfile, registries: install.registries, credentials: input.credentials ?? {}, scratch, workspaceDir, hashed: hashed || facts.graph !== undefined });
    if (input.caFile) Object.assign(plan.env, python ? { PIP_CERT: input.caFile } : { NODE_EXTRA_CA_CERTS: input.caFile });
    if (input.toolPath?.length) {
      await checkToolPath(input.toolPath, user);
      plan.env['PATH'] = [...input.toolPath, fetchPath()].join(':');
    }
    const locked = facts.graph ? await lockedRequirements(facts.graph, { lockfile, scratch, env: plan.env, user, drawn }) : undefined;
    if (locked) base.packages = locked.packages;
    const managerVersion = await version(plan.versionArgv, scratch, plan.env, user, workspaceDir);
    const key = cacheKey({
      manager,
      // The drawn requirements too: which packages the markers keep depends on the interpreter.
      lockHashes: [sha256(lockText), ...(locked ? [sha256(locked.text)] : [])],
      runtime: [managerVersion, python ? 'python3' : process.version, input.image, `${process.platform}-${process.arch}`],
      registries: install.registries,
    });
    const target = path.join(workspaceDir, plan.restoreTo);
    const hit = await lookup(input.dataDir, key);
    if (hit) {
      try {
        await copyTree(hit.tree, target);
        log?.info({ manager, key, lockfile }, 'Dependencies restored from the cache');
        return { ...base, source: 'cache', key, durationMs: Date.now() - started };
      } catch (error) {
        // Pruned while copying: fetch instead.
        await rm(target, { recursive: true, force: true });
        log?.warn({ err: error, key }, 'Could not restore dependencies from the cache; fetching');
      }
    }

    log?.info({ manager, key, lockfile, packages: base.packages }, 'Fetching dependencies');
    if (user && plan.output.in === 'workspace') {
      // The fetch writes into the checkout as the unprivileged user; the sandbox driver hands the
      // workspace to its own uid afterwards.
      handOverWorkspace(workspaceDir, user);
    }
    // Every locked package excluded by its markers: nothing to fetch (pip refuses an empty requirements file).
    const result = locked?.text === '' ? { exitCode: 0, output: '', timedOut: false } : await runFetchProcess({
      argv: plan.argv,
      cwd: workspaceDir,
      scratch,
      env: plan.env,
      homeFiles: plan.homeFiles,
      ...(user ? { user } : {}),
      timeoutMs: input.repoConfig.timeouts.installMs,
      ...(input.signal ? { signal: input.signal } : {}),
    }).catch((error: NodeJS.ErrnoException) => {
      throw new InstallError(`${plan.argv[0]} could not be started on the tracefix host (${error.code ?? error.message})`);
    });
    if (result.exitCode !== 0 || result.timedOut) {
      const how = result.timedOut ? `timed out after ${Math.round(input.repoConfig.timeouts.installMs / 1000)}s` : `failed (exit ${result.exitCode})`;
      // A missing version or a bad hash stays missing; a network error or a timeout may not.
      const permanent = !result.timedOut && /\b(E404|ETARGET|EINTEGRITY|EBADPLATFORM|ENOTSUP|No matching distribution|HASHES|does not match)\b/i.test(result.output);
      const shown = plan.argv.slice(0, python ? 5 : 3).join(' ');
      throw new InstallError(`${manager} could not fetch the dependencies pinned by ${lockfile}: \`${shown}\` ${how}${unlistedIndexes(facts.graph, install.registries, lockfile)}`, trimOutput(result.output, plan.secrets), { permanent });
    }
    const produced = plan.output.in === 'workspace' ? path.join(workspaceDir, plan.output.dir) : path.join(scratch, plan.output.dir);
    // A lockfile of only optional or platform-excluded packages can leave nothing: cache that too.
    if (!(await exists(produced))) await mkdir(produced, { recursive: true });
    await store(input.dataDir, key, produced, { manager, runtime: [managerVersion, input.image] });
    if (plan.output.in === 'scratch') await copyTree(produced, target);
    const pruned = await prune(input.dataDir, input.bounds);
    if (pruned.removed.length > 0) log?.info({ removed: pruned.removed.length, bytes: pruned.bytes }, 'Dependency cache pruned');
    return { ...base, source: 'fetched', key, durationMs: Date.now() - started };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** The hashed requirements a uv.lock or poetry.lock pins for the fetch's interpreter, written to `drawn`. */
async function lockedRequirements(
  graph: LockGraph,
  input: { lockfile: string; scratch: string; env: Record<string, string>; user: ReturnType<typeof fetchUser>; drawn: string },
): Promise<{ text: string; packages: number }> {
  const verdicts = await evaluateMarkers({ markers: graphMarkers(graph), scratch: input.scratch, env: input.env, lockfile: input.lockfile, ...(input.user ? { user: input.user } : {}) });
  const selected = selectPackages(graph, verdicts.holds);
  const text = renderRequirements(selected, input.lockfile);
  await writeFile(input.drawn, text, { mode: 0o644 });
  return { text, packages: selected.length };
}
