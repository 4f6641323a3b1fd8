// `.tracefix.yml`: what a target repository tells tracefix about itself. The file is strict (an
// unknown key is an error, so a typo never silently falls back to a default); every key is optional
// because src/workspace/repo-config.ts fills the rest from what it detects in the checkout.
import { z } from 'zod';
import { Framework } from './test-results.ts';

export const Language = z.enum(['node', 'typescript', 'python'], {
  error: 'expected one of node, typescript, python',
});
export type Language = z.infer<typeof Language>;

/** `node:test` reads better in YAML; both spellings name the same runner. */
const FrameworkInput = z.preprocess(
  (v) => (v === 'node:test' ? 'node-test' : v),
  z.enum(Framework.options, { error: `expected one of node:test, ${Framework.options.slice(1).join(', ')}` }),
);

const positiveInt = z
  .number({ error: 'expected a positive integer' })
  .int({ error: 'expected a positive integer' })
  .positive({ error: 'expected a positive integer' });

const nonNegativeInt = z
  .number({ error: 'expected a whole number, 0 or more' })
  .int({ error: 'expected a whole number, 0 or more' })
  .nonnegative({ error: 'expected a whole number, 0 or more' });

const command = z.string({ error: 'expected a command (a string)' }).trim().min(1, { error: 'expected a command, got an empty string' });

const glob = z.string({ error: 'expected a glob pattern (a string)' }).min(1, { error: 'expected a glob pattern, got an empty string' });
const globs = z.array(glob, { error: 'expected a list of glob patterns' });

const DURATION = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)$/;
const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;
/** Seconds as a number, or a string with a unit (`90s`, `5m`); resolves to milliseconds. */
const duration = z
  .union([z.number(), z.string()], { error: 'expected seconds (a number) or a duration like "90s" or "5m"' })
  .transform((v, ctx) => {
    if (typeof v === 'number') {
      if (v > 0 && Number.isFinite(v)) return Math.round(v * 1000);
    } else {
      const m = DURATION.exec(v.trim());
      if (m) {
        const ms = Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
        if (ms > 0) return Math.round(ms);
      }
    }
    ctx.addIssue({ code: 'custom', message: 'expected a positive duration: seconds or a string like "90s" or "5m"', input: v });
    return z.NEVER;
  });

export const InstallManager = z.enum(['npm', 'pnpm', 'yarn', 'pip', 'uv', 'poetry', 'none'], { error: 'expected one of npm, pnpm, yarn, pip, uv, poetry, none' });
export type InstallManager = z.infer<typeof InstallManager>;

export const InstallNetwork = z.enum(['none', 'proxy'], {
  error: 'expected none or proxy (a named Docker network is never attached to a sandbox: proxy allows only install.registries)',
});

/** A registry: an http(s) URL, or for pip also a wheel directory (a path inside the repository). */
const registry = z.string({ error: 'expected a registry URL or a wheel directory' }).trim().min(1, { error: 'expected a registry URL, got an empty string' });

/**
 * `install:`. Dependencies are fetched on the host, pinned by the lockfile, running no code of the
 * repository or its packages; `command` and lifecycle scripts then run in the sandbox, offline.
 * A bare string is shorthand for `{ command: ... }`.
 */
const InstallFile = z.preprocess(
  (v) => (typeof v === 'string' ? { command: v } : v),
  z.strictObject(
    {
      /** Runs in the sandbox (no network) after the fetch: a build step the packages need. */
      command: command.optional(),
      /** Which package manager fetches; `none` turns the fetch off. Detected from the lockfile. */
      manager: InstallManager.optional(),
      /** Registries the fetch may use (first is the default). npm default: https://registry.npmjs.org/. */
      registries: z.array(registry, { error: 'expected a list of registry URLs' }).min(1, { error: 'expected at least one registry' }).optional(),
      /** Dependency lifecycle scripts (install/postinstall) run in the sandbox (`npm rebuild`). Default false. */
      scripts: z.boolean({ error: 'expected true or false' }).optional(),
      /**
       * What `command` reaches. `none` (default): nothing. `proxy`: only `registries`, through
       * tracefix's egress proxy (src/install/egress-proxy.ts) while the command runs; the sandbox
       * itself stays on network none, and nothing after the command can reach the proxy.
       */
      network: InstallNetwork.optional(),
    },
    { error: 'expected a command or a mapping with command, manager, registries, scripts, network' },
  ),
);

export const RepoConfigFile = z.strictObject(
  {
    language: Language.optional(),
    /** Sandbox image; defaults to tracefix's image for the language. */
    image: z.string({ error: 'expected an image name' }).min(1).optional(),
    install: InstallFile.optional(),
    test: z
      .preprocess(
        (v) => (typeof v === 'string' ? { command: v } : v),
        z.strictObject(
          {
            /** Base invocation; the runner appends its reporter and filter arguments. */
            command: command.optional(),
            framework: FrameworkInput.optional(),
            /** Globs of test files (workspace-relative); defaults are the framework's own. */
            files: globs.optional(),
          },
          { error: 'expected a command or a mapping with command, framework, files' },
        ),
      )
      .optional(),
    typecheck: command.optional(),
    lint: command.optional(),
    paths: z
      .strictObject(
        {
          /** When given, a patch may touch only these. */
          allow: globs.optional(),
          /** Added to the built-in denials (CI config, lockfiles, existing tests). */
          deny: globs.optional(),
        },
        { error: 'expected a mapping with allow and/or deny' },
      )
      .optional(),
    maxPatchLines: positiveInt.optional(),
    maxPatchFiles: positiveInt.optional(),
    flakeReruns: nonNegativeInt.optional(),
    /** Bisect for the commit that introduced the failure; `false` turns it off. */
    bisect: z
      .union(
        [
          z.boolean(),
          z.strictObject({
            /** How many first-parent commits back the good end may be. */
            maxDepth: positiveInt.optional(),
            /** Time budget of the whole bisect, in milliseconds. */
            timeoutMs: positiveInt.optional(),
          }),
        ],
        { error: 'expected false, true or a mapping with maxDepth and timeoutMs' },
      )
      .optional(),
    timeouts: z
      .strictObject(
        {
          install: duration.optional(),
          /** The whole suite. */
          test: duration.optional(),
          /** One test id (reproduction, coverage, reruns). */
          singleTest: duration.optional(),
          /** typecheck and lint. */
          check: duration.optional(),
        },
        { error: 'expected a mapping of install, test, singleTest, check' },
      )
      .optional(),
    /** The repair search: `validatedCandidates` is how many validated candidates end it (the
     * chosen one and its alternatives); validating every generated candidate costs minutes. */
    repair: z
      .strictObject({ validatedCandidates: positiveInt.optional() }, { error: 'expected a mapping with validatedCandidates' })
      .optional(),
    /** Publishing (src/publish/): a mode that tightens TRACEFIX_PUBLISH, the branch PRs target,
     * and paths whose patches always wait for a person's approval. `publish: approval` is short. */
    publish: z
      .preprocess(
        (v) => (typeof v === 'string' ? { mode: v } : v),
        z.strictObject(
          {
            mode: z.enum(['draft', 'ready', 'approval', 'off'], { error: 'expected one of draft, ready, approval, off' }).optional(),
            base: z.string({ error: 'expected a branch name' }).min(1).max(255).optional(),
            approvalPaths: globs.optional(),
            /** A proposal below this confidence (high > medium > low; see schemas/run.ts Confidence)
             * needs a person's approval. Absent: no confidence floor. */
            minConfidence: z.enum(['high', 'medium', 'low'], { error: 'expected high, medium or low' }).optional(),
          },
          { error: 'expected draft, ready, approval, off or a mapping with mode, base, approvalPaths, minConfidence' },
        ),
      )
      .optional(),
  },
  { error: 'expected a mapping at the top level' },
);
export type RepoConfigFile = z.infer<typeof RepoConfigFile>;

/** Paths no patch may touch, whatever the file says (patterns match at any depth where it matters). */
export const DEFAULT_DENIED_PATHS: readonly string[] = [
  '.git/**',
  '.tracefix.yml',
  '.tracefix.yaml',
  '.github/**',
  '.gitlab-ci.yml',
  '.gitlab/**',
  '.circleci/**',
  'azure-pipelines.yml',
  'Jenkinsfile',
  '.travis.yml',
  '**/package-lock.json',
  '**/npm-shrinkwrap.json',
  '**/yarn.lock',
  '**/pnpm-lock.yaml',
  '**/poetry.lock',
  '**/Pipfile.lock',
  '**/uv.lock',
  '**/node_modules/**',
];

export const REPO_CONFIG_DEFAULTS = {
  maxPatchLines: 200,
  maxPatchFiles: 5,
  flakeReruns: 3,
  bisect: { maxDepth: 64, timeoutMs: 600_000 },
  timeouts: { installMs: 600_000, testMs: 600_000, singleTestMs: 120_000, checkMs: 300_000 },
  repair: { validatedCandidates: 3 },
} as const;

/** The resolved configuration: file values over detected defaults, every field present. */
export const RepoConfig = z.object({
  language: Language,
  framework: Framework,
  image: z.string().min(1),
  /** No install step when absent (the image or the repository carries its dependencies). */
  install: z
    .object({
      /** `none`: nothing is fetched; only `command` (if any) runs in the sandbox. */
      manager: InstallManager,
      /** The lockfile (or requirements file) the fetch is pinned by, workspace-relative. */
      lockfile: z.string().min(1).optional(),
      command: z.string().min(1).optional(),
      registries: z.array(z.string().min(1)),
      scripts: z.boolean(),
      /** Absent: none. */
      network: InstallNetwork.optional(),
    })
    .optional(),
  test: z.object({ command: z.string().min(1), files: z.array(z.string().min(1)) }),
  typecheck: z.string().min(1).optional(),
  lint: z.string().min(1).optional(),
  paths: z.object({ allow: z.array(z.string().min(1)), deny: z.array(z.string().min(1)) }),
  maxPatchLines: z.number().int().positive(),
  maxPatchFiles: z.number().int().positive(),
  flakeReruns: z.number().int().nonnegative(),
  /** Present only when the file has a `publish` mapping. */
  publish: z.object({ minConfidence: z.enum(['high', 'medium', 'low']).optional() }).optional(),
  /** Absent in configs built before it existed: REPO_CONFIG_DEFAULTS.repair applies. */
  repair: z.object({ validatedCandidates: z.number().int().positive() }).optional(),
  timeouts: z.object({
    installMs: z.number().int().positive(),
    testMs: z.number().int().positive(),
    singleTestMs: z.number().int().positive(),
    checkMs: z.number().int().positive(),
  }),
  /** Absent in configs built before bisect existed: read it through bisectSettings(). */
  bisect: z.object({ enabled: z.boolean(), maxDepth: z.number().int().positive(), timeoutMs: z.number().int().positive() }).optional(),
  /** Where each value came from, for the run record: the file's name, or null when there was none. */
  source: z.object({ file: z.string().nullable(), detected: z.array(z.string()) }),
  /** Why this framework: the file named it, its test command runs it, or the evidence detection
   * found ("pytest: 3 test files with module-level test functions, no config"). */
  detection: z.object({ framework: Framework, evidence: z.string().max(2048) }).optional(),
});
export type RepoConfig = z.infer<typeof RepoConfig>;
