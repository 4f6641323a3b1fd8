// The environment a sandboxed command sees. It is built, never inherited: a fixed base of
// allowlisted names (PATH, HOME, LANG, TZ, CI, PYTHON*) with fixed values, plus the variables a
// caller passes (NODE_ENV, LC_ALL, repro env, ...), each of which must pass a deny filter for
// secret-looking names. So nothing of tracefix's own process environment (LLM key, GitHub token,
// ...) can reach a sandbox, even if a caller hands process.env in by mistake.

/** The fixed base. PATH covers both image layouts (/usr/local for Node, Debian's /usr/bin). */
export const BASE_ENV: Readonly<Record<string, string>> = Object.freeze({
  PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
  // The root filesystem is read-only; /tmp is the sandbox's only writable place besides /workspace.
  HOME: '/tmp',
  LANG: 'C.UTF-8',
  TZ: 'UTC',
  CI: 'true',
  // No .pyc files in the workspace: its diff must show only what a patch changed.
  PYTHONDONTWRITEBYTECODE: '1',
  // git inside the sandbox sees a .git owned by another uid; command-scope config marks it safe.
  GIT_CONFIG_COUNT: '1',
  GIT_CONFIG_KEY_0: 'safe.directory',
  GIT_CONFIG_VALUE_0: '*',
});

/**
 * Secret-looking names, matched case-insensitively against the whole name: anything mentioning a
 * token, secret, key, password or credential, and the prefixes of services tracefix talks to.
 */
const DENIED = [
  /TOKEN/i,
  /SECRET/i,
  /KEY/i,
  /PASSW(OR)?D/i,
  /PASSPHRASE/i,
  /CREDENTIAL/i,
  /COOKIE/i,
  /SESSION/i,
  /^AUTH|_AUTH/i,
  /PRIVATE/i,
  /^AWS_/i,
  /^OPENAI_/i,
  /^ANTHROPIC_/i,
  /^AZURE_/i,
  /^GOOGLE_/i,
  /^GCP_/i,
  /^GITHUB_/i,
  /^GH_/i,
  /^NPM_CONFIG_.*(AUTH|TOKEN)/i,
  /^DOCKER_/i,
  /^SENTRY_/i,
  /^DD_/i,
  /^DATADOG_/i,
  /^TRACEFIX_/i,
  /^DATABASE_URL$/i,
  /^REDIS_URL$/i,
  /^OTEL_EXPORTER_OTLP_HEADERS$/i,
  // Loader and shell hooks that would let a variable smuggle code into every process.
  /^(LD_PRELOAD|LD_LIBRARY_PATH|LD_AUDIT|BASH_ENV|ENV|PROMPT_COMMAND|BASH_FUNC_.*)$/,
];

const VALID_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function isDeniedEnvName(name: string): boolean {
  return !VALID_NAME.test(name) || DENIED.some((re) => re.test(name));
}

export interface FilteredEnv {
  env: Record<string, string>;
  /** Names that were dropped (never their values), for a log line. */
  dropped: string[];
}

/** Keeps the variables that pass the deny filter; values with NUL bytes are dropped too. */
export function filterEnv(input: Readonly<Record<string, string | undefined>> | undefined): FilteredEnv {
  const env: Record<string, string> = {};
  const dropped: string[] = [];
  for (const [name, value] of Object.entries(input ?? {})) {
    if (value === undefined) continue;
    if (isDeniedEnvName(name) || typeof value !== 'string' || value.includes('\0')) dropped.push(name);
    else env[name] = value;
  }
  return { env, dropped };
}

/** BASE_ENV, then the sandbox-wide env, then the exec's env; each layer filtered. */
export function buildSandboxEnv(
  sandboxEnv: Readonly<Record<string, string>> | undefined,
  execEnv: Readonly<Record<string, string>> | undefined,
): FilteredEnv {
  const a = filterEnv(sandboxEnv);
  const b = filterEnv(execEnv);
  return { env: { ...BASE_ENV, ...a.env, ...b.env }, dropped: [...a.dropped, ...b.dropped] };
}

export function envToList(env: Readonly<Record<string, string>>): string[] {
  return Object.entries(env).map(([k, v]) => `${k}=${v}`);
}
