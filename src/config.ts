// Environment → validated, frozen Config. The one module that reads process.env: everything else
// receives a Config (tests pass their own env object).
import path from 'node:path';
import { z } from 'zod';
import { ActionEnv, toActionContext, type ActionContext } from '../schemas/action.ts';
import { DASHBOARD_ENV, githubOAuth, type GithubOAuthConfig } from './config-dashboard.ts';
import { LLM_ENV, llmConfig, type LlmConfig } from './config-llm.ts';
import { githubApp, gitAuthor, PUBLISH_ENV } from './config-publish.ts';
import { ConfigError } from './errors.ts';

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v));

const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();
const list = z
  .string()
  .optional()
  .transform((v) => (v ?? '').split(',').map((s) => s.trim()).filter(Boolean));
const url = z.url({ protocol: /^https?$/ });
/** A JSON object of string → string in one variable (release → commit, service → repo). */
const jsonMap = z
  .string()
  .optional()
  .transform((v, ctx) => {
    if (v === undefined || v.trim() === '') return {};
    try {
      const parsed: unknown = JSON.parse(v);
      const result = z.record(z.string(), z.string()).safeParse(parsed);
      if (result.success) return result.data;
    } catch {
      // reported below
    }
    ctx.addIssue({ code: 'custom', message: 'must be a JSON object of strings, e.g. {"checkout":"acme/checkout"}' });
    return z.NEVER;
  });

/** Each key is the environment variable's name; the README's configuration table lists them. */
const EnvSchema = z.object({
  PORT: port.default(8080),
  HOST: z.string().min(1).default('127.0.0.1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TRACEFIX_DATA_DIR: z.string().min(1).default('./.tracefix'),
  DATABASE_URL: optionalString.pipe(z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL').optional()),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL').default('redis://127.0.0.1:6379'),
  TRACEFIX_QUEUE_PREFIX: z.string().min(1).default('tracefix'),
  TRACEFIX_BODY_LIMIT: positiveInt.default(1024 * 1024),

  TRACEFIX_SENTRY_CLIENT_SECRET: optionalString,
  TRACEFIX_SENTRY_TOKEN: optionalString,
  TRACEFIX_SENTRY_API_URL: url.default('https://sentry.io'),
  /** Enables the legacy per-project WebHooks plugin at /webhooks/sentry/legacy/<token>. */
  TRACEFIX_SENTRY_LEGACY_TOKEN: optionalString,
  /** Reject Sentry deliveries whose Sentry-Hook-Timestamp is older than this (replay protection). */
  TRACEFIX_SENTRY_MAX_AGE_SECONDS: positiveInt.default(300),

  TRACEFIX_GITHUB_WEBHOOK_SECRET: optionalString,
  TRACEFIX_GITHUB_TOKEN: optionalString,
  TRACEFIX_GITHUB_API_URL: url.default('https://api.github.com'),
  TRACEFIX_GITHUB_LABEL: z.string().min(1).default('tracefix'),
  TRACEFIX_GITHUB_TRUSTED_LOGINS: list,
  ...PUBLISH_ENV,
  ...DASHBOARD_ENV,

  TRACEFIX_DATADOG_TOKEN: optionalString,

  TRACEFIX_OTLP_TOKEN: optionalString,
  TRACEFIX_OTLP_BODY_LIMIT: positiveInt.default(16 * 1024 * 1024),
  /** Error spans and exception log records raise alerts themselves (for OpenTelemetry-only users). */
  TRACEFIX_OTLP_ALERTS: z.enum(['on', 'off']).default('off'),
  TRACEFIX_OTLP_ALERT_SERVICES: list,
  TRACEFIX_OTLP_ALERT_ROUTES: list,
  TRACEFIX_TRACE_SOURCE: z.enum(['local', 'tempo', 'jaeger', 'jaeger-v3']).default('local'),
  TRACEFIX_TRACE_SOURCE_URL: optionalString.pipe(url.optional()),
  TRACEFIX_TRACE_SOURCE_TOKEN: optionalString,
  TRACEFIX_TRACE_RETENTION_HOURS: positiveInt.default(72),
  TRACEFIX_TRACE_MAX_SPANS: positiveInt.default(2_000_000),
  TRACEFIX_TRACE_MAX_LOGS: positiveInt.default(2_000_000),

  TRACEFIX_OUTBOX_INTERVAL_MS: positiveInt.default(500),
  TRACEFIX_VERIFY_DAYS: z.coerce.number().positive().max(365).default(7),
  TRACEFIX_RECURRENCE_INTERVAL_MS: positiveInt.default(60_000),
  // 0 turns polling off (the pull_request webhook alone reports merges).
  TRACEFIX_PR_POLL_INTERVAL_MS: z.coerce.number().int().nonnegative().default(300_000),
  /** BullMQ: how long a job's lock lasts unrenewed (a dead worker's job waits this long), and how
   * often workers look for such stalled jobs to take over. */
  TRACEFIX_QUEUE_LOCK_MS: positiveInt.min(1000).default(30_000),
  TRACEFIX_QUEUE_STALLED_INTERVAL_MS: positiveInt.min(1000).default(30_000),

  TRACEFIX_TOKEN_BUDGET: z.coerce.number().int().min(500).default(12_000),
  TRACEFIX_TOKENIZER: z.enum(['o200k_base', 'cl100k_base']).default('o200k_base'),
  TRACEFIX_LOG_WINDOW_SECONDS: z.coerce.number().min(0).default(30),
  TRACEFIX_RELEASE_COMMITS: jsonMap,
  TRACEFIX_SERVICE_REPOS: jsonMap,
  /** Sentry project slug → repository, for Sentry events without a `service` tag. */
  TRACEFIX_SENTRY_PROJECT_REPOS: jsonMap,
  TRACEFIX_REDACTION_PATTERNS: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === '') return [];
      try {
        const parsed = z.array(z.object({ name: z.string().min(1), regex: z.string().min(1) })).parse(JSON.parse(v));
        for (const p of parsed) new RegExp(p.regex, 'g');
        return parsed;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be a JSON array of {"name","regex"} with valid regular expressions' });
        return z.NEVER;
      }
    }),
  TRACEFIX_REDACTION_DENY_ATTRIBUTES: list,
  TRACEFIX_ATTRIBUTE_ALLOWLIST: list,

  TRACEFIX_SANDBOX_DRIVER: z.enum(['docker', 'local']).default('docker'),
  TRACEFIX_SANDBOX_MEMORY_BYTES: positiveInt.default(1024 * 1024 * 1024),
  TRACEFIX_SANDBOX_CPUS: z.coerce.number().positive().max(64).default(1),
  TRACEFIX_SANDBOX_PIDS: positiveInt.default(512),
  TRACEFIX_SANDBOX_TMP_BYTES: positiveInt.default(256 * 1024 * 1024),
  TRACEFIX_SANDBOX_OUTPUT_BYTES: positiveInt.default(1024 * 1024),
  TRACEFIX_SANDBOX_TIMEOUT_MS: positiveInt.default(10 * 60 * 1000),
  /** Dependency cache bounds (src/install/): total size, and age since an entry's last use. */
  TRACEFIX_DEPS_CACHE_MAX_BYTES: positiveInt.default(10 * 1024 * 1024 * 1024),
  TRACEFIX_DEPS_CACHE_MAX_AGE_DAYS: positiveInt.default(14),
  /** Private registries: a JSON object of registry URL → token or "user:password". Used only by the
   * host-side fetch (a file under its private HOME); never a sandbox, a log line or a run record. */
  /** CA bundle the fetch trusts besides Node's and pip's own (a TLS-inspecting egress proxy). */
  TRACEFIX_INSTALL_CA_FILE: optionalString,
  /** Directories searched before the host's PATH for pnpm and yarn (an operator's pinned releases), `:`-separated. */
  TRACEFIX_INSTALL_TOOL_PATH: z
    .string()
    .optional()
    .transform((v, ctx) => {
      const dirs = (v ?? '').split(':').map((s) => s.trim()).filter(Boolean);
      const relative = dirs.filter((d) => !path.isAbsolute(d));
      if (relative.length === 0) return dirs;
      ctx.addIssue({ code: 'custom', message: `must be absolute directories separated by ":" (like PATH), got ${relative.map((d) => JSON.stringify(d)).join(', ')}` });
      return z.NEVER;
    }),
  NODE_EXTRA_CA_CERTS: optionalString,
  TRACEFIX_REGISTRY_CREDENTIALS: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === '') return {};
      try {
        const parsed = z.record(z.url({ protocol: /^https?$/ }), z.string().min(1)).parse(JSON.parse(v));
        return parsed;
      } catch {
        // Never echo the value: it holds secrets.
        ctx.addIssue({ code: 'custom', message: 'must be a JSON object of registry URL (http or https) → token or "user:password"' });
        return z.NEVER;
      }
    }),
  /** `inline`: `tracefix serve` also runs the outbox dispatcher and the stage workers (the only
   * choice with embedded PGlite, which one process owns). `off`: run `tracefix worker` apart. */
  TRACEFIX_WORKERS: z.enum(['inline', 'off']).default('inline'),

  ...LLM_ENV,

  /** Dashboard, /api, /admin and /metrics: `Authorization: Bearer <token>` or a session from /login.
   * Unset: `serve` generates one into the data directory and prints the sign-in URL once. */
  TRACEFIX_DASHBOARD_TOKEN: optionalString.pipe(z.string().min(16, 'must be at least 16 characters').optional()),
  /** Link from an incident's trace id to a trace UI: `{traceId}` is replaced, e.g. http://jaeger:16686/trace/{traceId}. */
  TRACEFIX_TRACE_UI_URL: optionalString.pipe(
    z.string().regex(/^https?:\/\/[^\s]*\{traceId\}/, 'must be an http(s) URL containing {traceId}').optional(),
  ),

  OTEL_EXPORTER_OTLP_ENDPOINT: optionalString.pipe(url.optional()),
  OTEL_SERVICE_NAME: z.string().min(1).default('tracefix'),
});

export type Config = Readonly<{
  port: number;
  host: string;
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  dataDir: string;
  databaseUrl: string | undefined;
  redisUrl: string;
  queuePrefix: string;
  bodyLimit: number;
  sentry: Readonly<{
    clientSecret: string | undefined;
    token: string | undefined;
    apiUrl: string;
    legacyToken: string | undefined;
    maxAgeSeconds: number;
  }>;
  github: Readonly<{
    webhookSecret: string | undefined;
    token: string | undefined;
    apiUrl: string;
    label: string;
    trustedLogins: readonly string[];
    /** GitHub App credentials for publishing; undefined: TRACEFIX_GITHUB_TOKEN is used. */
    app: Readonly<{ appId: string; privateKey: string }> | undefined;
  }>;
  publish: Readonly<{
    /** draft (default) | ready | approval | off; a repository's .tracefix.yml may tighten it. */
    mode: 'draft' | 'ready' | 'approval' | 'off';
    labels: readonly string[];
    reviewers: readonly string[];
    author: Readonly<{ name: string; email: string }> | undefined;
    publicUrl: string | undefined;
  }>;
  datadog: Readonly<{ token: string | undefined }>;
  otlp: Readonly<{
    token: string | undefined;
    bodyLimit: number;
    alerts: Readonly<{ enabled: boolean; services: readonly string[]; routes: readonly string[] }>;
  }>;
  traces: Readonly<{
    source: 'local' | 'tempo' | 'jaeger' | 'jaeger-v3';
    sourceUrl: string | undefined;
    sourceToken: string | undefined;
    retentionHours: number;
    maxSpans: number;
    maxLogs: number;
  }>;
  outbox: Readonly<{ intervalMs: number }>;
  /** The recurrence watch of merged fixes (src/recurrence/). */
  recurrence: Readonly<{ verifyDays: number; intervalMs: number; prPollIntervalMs: number }>;
  /** BullMQ stalled-job recovery (a worker that dies mid-job). Absent: BullMQ's defaults. */
  queue?: Readonly<{ lockMs: number; stalledIntervalMs: number }>;
  workers: 'inline' | 'off';
  assemble: Readonly<{
    tokenBudget: number;
    tokenizer: 'o200k_base' | 'cl100k_base';
    logWindowSeconds: number;
    releaseCommits: Readonly<Record<string, string>>;
    serviceRepos: Readonly<Record<string, string>>;
    /** Sentry project slug → repository (TRACEFIX_SENTRY_PROJECT_REPOS). */
    sentryProjectRepos: Readonly<Record<string, string>>;
    redactionPatterns: readonly { name: string; regex: string }[];
    denyAttributes: readonly string[];
    /** Empty: the assembler's default allowlist. */
    attributeAllowlist: readonly string[];
  }>;
  sandbox: Readonly<{
    driver: 'docker' | 'local';
    limits: Readonly<{ memoryBytes: number; cpus: number; pids: number; tmpBytes: number; outputBytes: number }>;
    timeoutMs: number;
  }>;
  /** Dependency installs (src/install/). */
  install: Readonly<{
    cacheMaxBytes: number;
    cacheMaxAgeMs: number;
    /** Registry URL → token or user:password. Only the fetch step sees these. */
    credentials: Readonly<Record<string, string>>;
    /** TRACEFIX_INSTALL_CA_FILE, else the NODE_EXTRA_CA_CERTS tracefix itself runs with. */
    caFile: string | undefined;
    /** TRACEFIX_INSTALL_TOOL_PATH: searched before the host's PATH for the package manager. Empty: the host's only. */
    toolPath: readonly string[];
  }>;
  /** Undefined: no model configured (TRACEFIX_MODEL unset); the template engine repairs alone. */
  llm: LlmConfig | undefined;
  /** githubOAuth: the optional GitHub sign-in (config-dashboard.ts); undefined: token sign-in only. */
  dashboard: Readonly<{ token: string | undefined; traceUiUrl: string | undefined; githubOAuth: GithubOAuthConfig | undefined }>;
  telemetry: Readonly<{ otlpEndpoint: string | undefined; serviceName: string }>;
}>;

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/** Parses the environment once. A bad value throws a ConfigError naming every bad variable.
 * `overrides` stand in for variables (the Action step's inputs); undefined ones change nothing. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Record<string, string | undefined> = {}): Config {
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
  const parsed = EnvSchema.safeParse({ ...env, ...defined });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? '(environment)');
      return `${name}: ${issue.message}`;
    });
    throw new ConfigError(`Invalid configuration. ${problems.join('; ')}`, problems);
  }
  const e = parsed.data;
  if (e.TRACEFIX_TRACE_SOURCE !== 'local' && !e.TRACEFIX_TRACE_SOURCE_URL) {
    const problem = `TRACEFIX_TRACE_SOURCE_URL: required when TRACEFIX_TRACE_SOURCE is ${e.TRACEFIX_TRACE_SOURCE}`;
    throw new ConfigError(`Invalid configuration. ${problem}`, [problem]);
  }
  const llm = llmConfig(e);
  return deepFreeze({
    port: e.PORT,
    host: e.HOST,
    logLevel: e.LOG_LEVEL,
    dataDir: path.resolve(e.TRACEFIX_DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    queuePrefix: e.TRACEFIX_QUEUE_PREFIX,
    bodyLimit: e.TRACEFIX_BODY_LIMIT,
    sentry: {
      clientSecret: e.TRACEFIX_SENTRY_CLIENT_SECRET,
      token: e.TRACEFIX_SENTRY_TOKEN,
      apiUrl: e.TRACEFIX_SENTRY_API_URL.replace(/\/+$/, ''),
      legacyToken: e.TRACEFIX_SENTRY_LEGACY_TOKEN,
      maxAgeSeconds: e.TRACEFIX_SENTRY_MAX_AGE_SECONDS,
    },
    github: {
      webhookSecret: e.TRACEFIX_GITHUB_WEBHOOK_SECRET,
      token: e.TRACEFIX_GITHUB_TOKEN,
      apiUrl: e.TRACEFIX_GITHUB_API_URL.replace(/\/+$/, ''),
      label: e.TRACEFIX_GITHUB_LABEL,
      trustedLogins: e.TRACEFIX_GITHUB_TRUSTED_LOGINS,
      app: githubApp(e.TRACEFIX_GITHUB_APP_ID, e.TRACEFIX_GITHUB_APP_PRIVATE_KEY, e.TRACEFIX_GITHUB_APP_PRIVATE_KEY_FILE),
    },
    publish: {
      mode: e.TRACEFIX_PUBLISH,
      labels: e.TRACEFIX_GITHUB_PR_LABELS,
      reviewers: e.TRACEFIX_GITHUB_PR_REVIEWERS,
      author: gitAuthor(e.TRACEFIX_GIT_AUTHOR),
      publicUrl: e.TRACEFIX_PUBLIC_URL?.replace(/\/+$/, ''),
    },
    datadog: { token: e.TRACEFIX_DATADOG_TOKEN },
    otlp: {
      token: e.TRACEFIX_OTLP_TOKEN,
      bodyLimit: e.TRACEFIX_OTLP_BODY_LIMIT,
      alerts: {
        enabled: e.TRACEFIX_OTLP_ALERTS === 'on',
        services: e.TRACEFIX_OTLP_ALERT_SERVICES,
        routes: e.TRACEFIX_OTLP_ALERT_ROUTES,
      },
    },
    traces: {
      source: e.TRACEFIX_TRACE_SOURCE,
      sourceUrl: e.TRACEFIX_TRACE_SOURCE_URL,
      sourceToken: e.TRACEFIX_TRACE_SOURCE_TOKEN,
      retentionHours: e.TRACEFIX_TRACE_RETENTION_HOURS,
      maxSpans: e.TRACEFIX_TRACE_MAX_SPANS,
      maxLogs: e.TRACEFIX_TRACE_MAX_LOGS,
    },
    outbox: { intervalMs: e.TRACEFIX_OUTBOX_INTERVAL_MS },
    recurrence: { verifyDays: e.TRACEFIX_VERIFY_DAYS, intervalMs: e.TRACEFIX_RECURRENCE_INTERVAL_MS, prPollIntervalMs: e.TRACEFIX_PR_POLL_INTERVAL_MS },
    queue: { lockMs: e.TRACEFIX_QUEUE_LOCK_MS, stalledIntervalMs: e.TRACEFIX_QUEUE_STALLED_INTERVAL_MS },
    workers: e.TRACEFIX_WORKERS,
    assemble: {
      tokenBudget: e.TRACEFIX_TOKEN_BUDGET,
      tokenizer: e.TRACEFIX_TOKENIZER,
      logWindowSeconds: e.TRACEFIX_LOG_WINDOW_SECONDS,
      releaseCommits: e.TRACEFIX_RELEASE_COMMITS,
      serviceRepos: e.TRACEFIX_SERVICE_REPOS,
      sentryProjectRepos: e.TRACEFIX_SENTRY_PROJECT_REPOS,
      redactionPatterns: e.TRACEFIX_REDACTION_PATTERNS,
      denyAttributes: e.TRACEFIX_REDACTION_DENY_ATTRIBUTES,
      attributeAllowlist: e.TRACEFIX_ATTRIBUTE_ALLOWLIST,
    },
    sandbox: {
      driver: e.TRACEFIX_SANDBOX_DRIVER,
      limits: {
        memoryBytes: e.TRACEFIX_SANDBOX_MEMORY_BYTES,
        cpus: e.TRACEFIX_SANDBOX_CPUS,
        pids: e.TRACEFIX_SANDBOX_PIDS,
        tmpBytes: e.TRACEFIX_SANDBOX_TMP_BYTES,
        outputBytes: e.TRACEFIX_SANDBOX_OUTPUT_BYTES,
      },
      timeoutMs: e.TRACEFIX_SANDBOX_TIMEOUT_MS,
    },
    install: {
      cacheMaxBytes: e.TRACEFIX_DEPS_CACHE_MAX_BYTES,
      cacheMaxAgeMs: e.TRACEFIX_DEPS_CACHE_MAX_AGE_DAYS * 86_400_000,
      credentials: e.TRACEFIX_REGISTRY_CREDENTIALS,
      caFile: e.TRACEFIX_INSTALL_CA_FILE ?? e.NODE_EXTRA_CA_CERTS,
      toolPath: e.TRACEFIX_INSTALL_TOOL_PATH,
    },
    llm,
    dashboard: { token: e.TRACEFIX_DASHBOARD_TOKEN, traceUiUrl: e.TRACEFIX_TRACE_UI_URL, githubOAuth: githubOAuth(e, e.TRACEFIX_GITHUB_API_URL.replace(/\/+$/, '')) },
    telemetry: { otlpEndpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT, serviceName: e.OTEL_SERVICE_NAME },
  } satisfies Config);
}

/** The runner's variables and the step's inputs for `tracefix action` (schemas/action.ts); a
 * missing or bad one is a broken setup: a ConfigError naming it. */
export function loadActionContext(env: NodeJS.ProcessEnv = process.env): ActionContext {
  const parsed = ActionEnv.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${String(issue.path[0] ?? '(environment)')}: ${issue.message}`);
    throw new ConfigError(`Invalid GitHub Actions environment. ${problems.join('; ')}`, problems);
  }
  return toActionContext(parsed.data);
}

/** The environment variable names, for docs and for tests that build an env from scratch. */
export const CONFIG_KEYS = Object.keys(EnvSchema.shape);

export type { LlmConfig, ModelPrice } from './config-llm.ts';
