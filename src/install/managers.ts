// Per package manager: how the fetch is invoked so that it is pinned by the lockfile and runs
// nothing (no lifecycle scripts, no pnpmfile, no repository-chosen yarn release, no source builds),
// where its result lands, and where registry credentials go (a file under the fetch's private
// HOME: never argv, never an environment variable a child could print, never the workspace).
import path from 'node:path';
import type { InstallManager } from '../../schemas/repo-config.ts';
import { registryPrefix } from './policy.ts';

export type FetchManager = Exclude<InstallManager, 'none'>;

/** The managers whose lockfile pip fetches: requirements.txt as it is, uv.lock and poetry.lock through python-lock.ts. */
export type PythonManager = Extract<FetchManager, 'pip' | 'uv' | 'poetry'>;

export function isPythonManager(manager: InstallManager): manager is PythonManager {
  return manager === 'pip' || manager === 'uv' || manager === 'poetry';
}

/** Token (bearer) or `user:password` (basic) per registry URL prefix, from TRACEFIX_REGISTRY_CREDENTIALS. */
export type RegistryCredentials = Readonly<Record<string, string>>;

export interface FetchPlan {
  argv: string[];
  /** Argv that prints the package manager's version (part of the cache key). */
  versionArgv: string[];
  env: Record<string, string>;
  homeFiles: Record<string, string>;
  /** Where the fetched tree is: workspace-relative for JS (node_modules), scratch-relative for pip. */
  output: { in: 'workspace' | 'scratch'; dir: string };
  /** Where a cached tree is restored, workspace-relative. */
  restoreTo: string;
  /** Secrets to scrub from any output shown. */
  secrets: string[];
}

/** Where pip's target directory lives in the workspace (excluded from diffs like node_modules). */
export const PYTHON_DEPS_DIR = '.tracefix-deps/python';

/** Credentials for the allowed registries only: one a repository does not allow is never written. */
function credentialsFor(registries: readonly string[], credentials: RegistryCredentials): { prefix: string; host: string; secret: string }[] {
  const out: { prefix: string; host: string; secret: string }[] = [];
  for (const [url, secret] of Object.entries(credentials)) {
    const prefix = registryPrefix(url);
    if (!prefix || !registries.some((r) => registryPrefix(r) === prefix)) continue;
    out.push({ prefix, host: new URL(prefix).host, secret });
  }
  return out;
}

function npmrc(registries: readonly string[], credentials: RegistryCredentials): { text: string; secrets: string[] } {
  const lines: string[] = [];
  const secrets: string[] = [];
  for (const c of credentialsFor(registries, credentials)) {
    const scope = c.prefix.replace(/^https?:/, '');
    if (c.secret.includes(':')) {
      const b64 = Buffer.from(c.secret).toString('base64');
      lines.push(`${scope}:_auth=${b64}`);
      secrets.push(b64, c.secret, ...c.secret.split(':').filter((s) => s.length >= 4).slice(1));
    } else {
      lines.push(`${scope}:_authToken=${c.secret}`);
      secrets.push(c.secret);
    }
  }
  return { text: lines.length ? `${lines.join('\n')}\n` : '', secrets };
}

function netrc(registries: readonly string[], credentials: RegistryCredentials): { text: string; secrets: string[] } {
  const lines: string[] = [];
  const secrets: string[] = [];
  for (const c of credentialsFor(registries, credentials)) {
    const [login, password] = c.secret.includes(':') ? [c.secret.slice(0, c.secret.indexOf(':')), c.secret.slice(c.secret.indexOf(':') + 1)] : ['__token__', c.secret];
    lines.push(`machine ${c.host.replace(/:\d+$/, '')} login ${login} password ${password}`);
    secrets.push(password);
  }
  return { text: lines.length ? `${lines.join('\n')}\n` : '', secrets };
}

export interface PlanInput {
  manager: FetchManager;
  lockfile: string;
  registries: readonly string[];
  credentials: RegistryCredentials;
  scratch: string;
  workspaceDir: string;
  /** pip: the requirements carry --hash, so every package must match one. */
  hashed?: boolean;
}

export function fetchPlan(input: PlanInput): FetchPlan {
  const { manager, registries, scratch } = input;
  const home = path.join(scratch, 'home');
  const http = registries.filter((r) => registryPrefix(r) !== undefined);
  if (isPythonManager(manager)) {
    const rc = netrc(registries, input.credentials);
    const index: string[] = [];
    if (http.length === 0) index.push('--no-index');
    else index.push('--index-url', http[0] ?? '', ...http.slice(1).flatMap((r) => ['--extra-index-url', r]));
    for (const r of registries) if (registryPrefix(r) === undefined) index.push('--find-links', path.resolve(input.workspaceDir, r.replace(/^file:\/\//, '')));
    return {
      // --only-binary: a source distribution would be built, running its setup code on the host.
      // -I: `python3 -m` would otherwise put the checkout (the working directory) first on
      // sys.path, so a repository's own `pip/__main__.py` would run on the host instead of pip.
      argv: ['python3', '-I', '-m', 'pip', 'install', '--no-deps', '--only-binary', ':all:', '--target', path.join(scratch, 'site'), ...(input.hashed ? ['--require-hashes'] : []), ...index, '-r', input.lockfile],
      versionArgv: ['python3', '-I', '-m', 'pip', '--version'],
      env: {
        PIP_CONFIG_FILE: '/dev/null',
        PIP_NO_INPUT: '1',
        PIP_DISABLE_PIP_VERSION_CHECK: '1',
        PIP_CACHE_DIR: path.join(home, 'pip-cache'),
        PYTHONNOUSERSITE: '1',
        PYTHONDONTWRITEBYTECODE: '1',
      },
      homeFiles: rc.text ? { '.netrc': rc.text } : {},
      output: { in: 'scratch', dir: 'site' },
      restoreTo: PYTHON_DEPS_DIR,
      secrets: rc.secrets,
    };
  }
  const rc = npmrc(registries, input.credentials);
  // Settings as environment variables: they take precedence over the repository's own .npmrc.
  const env: Record<string, string> = {
    npm_config_userconfig: path.join(home, '.npmrc'),
    npm_config_globalconfig: path.join(home, 'npmrc-global'),
    npm_config_cache: path.join(home, 'npm-cache'),
    npm_config_ignore_scripts: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    npm_config_git: '/bin/false',
    npm_config_script_shell: '/bin/false',
    ...(http[0] ? { npm_config_registry: http[0] } : {}),
  };
  const homeFiles = { '.npmrc': rc.text, 'npmrc-global': '' };
  const base = { versionArgv: [manager, '--version'], env, homeFiles, output: { in: 'workspace' as const, dir: 'node_modules' }, restoreTo: 'node_modules', secrets: rc.secrets };
  if (manager === 'pnpm') {
    // --ignore-pnpmfile: a .pnpmfile.cjs is repository code pnpm would run.
    return { ...base, argv: ['pnpm', 'install', '--frozen-lockfile', '--ignore-scripts', '--ignore-pnpmfile', '--node-linker=hoisted', `--store-dir=${path.join(home, 'pnpm-store')}`] };
  }
  if (manager === 'yarn') {
    // --no-default-rc: a .yarnrc's yarn-path would make yarn run a repository-chosen release.
    return { ...base, argv: ['yarn', 'install', '--frozen-lockfile', '--ignore-scripts', '--non-interactive', '--no-default-rc', `--cache-folder=${path.join(home, 'yarn-cache')}`] };
  }
  return { ...base, argv: ['npm', 'ci', '--ignore-scripts', '--no-audit', '--no-fund', '--include=dev'] };
}
