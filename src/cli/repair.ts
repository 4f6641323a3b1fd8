// `tracefix repair`: one incident's bundle + its repository → reproduce → repair → patch.diff, the
// test file, pr.md and result.json in --out. No Redis, no database: the same stage functions the
// workers call, in one process. Exit 0 fixed, 1 not fixed (the reason printed), 2 bad input.
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { Bundle } from '../../schemas/bundle.ts';
import { loadConfig } from '../config.ts';
import { AppError, UsageError } from '../errors.ts';
import { ENGINE_CHOICES, resolveEngines, type EngineChoice } from '../run/engines.ts';
import { writeRunOutputs } from '../repair/proposal/index.ts';
import { runIncident } from '../run/run-incident.ts';
import { createLogger } from '../telemetry.ts';
import { RepoConfigError, repoSourceFor, WorkspaceError } from '../workspace/index.ts';
import { parseJson, read } from './bundle-inputs.ts';

const USAGE = `Usage: tracefix repair --bundle <bundle.json> --repo <path|url> --out <dir>
                       [--engine auto|templates|llm] [--sandbox docker|local]

Reproduces the bundle's incident with a test that fails the way production failed, searches for
the smallest patch that makes it and the whole suite pass in the sandbox, and writes patch.diff,
the new test file, pr.md and result.json into --out. --engine auto (default) tries the offline
templates first and the LLM agent when a model is configured. Exit 0 when a validated fix was
found, 1 when not (the reason is printed), 2 for bad input.
`;

interface RepairArgs {
  bundlePath: string;
  repo: string;
  out: string;
  engine: EngineChoice;
  sandbox?: 'docker' | 'local';
}

function parse(args: string[]): RepairArgs | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        bundle: { type: 'string' },
        repo: { type: 'string' },
        out: { type: 'string', short: 'o' },
        engine: { type: 'string', default: 'auto' },
        sandbox: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n\n${USAGE}`);
  }
  if (values.help) return 'help';
  const missing = (['bundle', 'repo', 'out'] as const).filter((k) => !values[k]);
  if (missing.length) throw new UsageError(`missing ${missing.map((k) => `--${k}`).join(', ')}\n\n${USAGE}`);
  if (!ENGINE_CHOICES.includes(values.engine as EngineChoice)) throw new UsageError(`--engine must be one of ${ENGINE_CHOICES.join(', ')}, got ${JSON.stringify(values.engine)}`);
  if (values.sandbox !== undefined && values.sandbox !== 'docker' && values.sandbox !== 'local') {
    throw new UsageError(`--sandbox must be docker or local, got ${JSON.stringify(values.sandbox)}`);
  }
  return {
    bundlePath: values.bundle!,
    repo: values.repo!,
    out: values.out!,
    engine: values.engine as EngineChoice,
    ...(values.sandbox ? { sandbox: values.sandbox as 'docker' | 'local' } : {}),
  };
}

export async function readBundleFile(file: string): Promise<{ bundle: Bundle; sha256: string }> {
  const raw = await read('--bundle', file);
  const parsed = Bundle.safeParse(parseJson('--bundle', file, raw));
  if (!parsed.success) {
    const problems = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new UsageError(`--bundle ${file}: not a tracefix bundle (${problems.join('; ')})`);
  }
  return { bundle: parsed.data, sha256: createHash('sha256').update(raw.toString('utf8').trimEnd()).digest('hex') };
}

/** A local path must exist; anything with a scheme or scp-like form is left to git. */
async function repoSource(repo: string): Promise<string> {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(repo) || /^[\w.-]+@[\w.-]+:/.test(repo)) return repo;
  const abs = path.resolve(repo);
  try {
    await fs.access(path.join(abs, '.git'));
  } catch {
    throw new UsageError(`--repo ${repo}: not a git repository (no .git in ${abs})`);
  }
  return abs;
}

export async function repair(args: string[]): Promise<number> {
  const parsed = parse(args);
  if (parsed === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  const config = loadConfig();
  const { bundle, sha256 } = await readBundleFile(parsed.bundlePath);
  const url = await repoSource(parsed.repo);
  const out = path.resolve(parsed.out);
  const { engines, reproduceFallback } = await resolveEngines(parsed.engine, config, { artifactsDir: out });
  await fs.mkdir(out, { recursive: true });
  // Progress lines are the CLI's narrative; logs go to stderr, and only warnings unless asked.
  const log = createLogger({ logLevel: config.logLevel === 'info' ? 'warn' : config.logLevel }, pino.destination(2));
  const started = performance.now();
  const progress = (message: string) => process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(1).padStart(5)}s] ${message}\n`);
  let run;
  try {
    run = await runIncident({
      config,
      bundle,
      bundleSha256: sha256,
      repo: repoSourceFor(url, config.github),
      engines,
      ...(reproduceFallback ? { reproduceFallback } : {}),
      ...(parsed.sandbox ? { driver: parsed.sandbox } : {}),
      artifactsDir: out,
      log,
      progress,
    });
  } catch (error) {
    if (error instanceof RepoConfigError) throw new UsageError(`the repository's .tracefix.yml is invalid:\n${error.problems.join('\n')}`);
    if (error instanceof WorkspaceError) throw new UsageError(`--repo ${parsed.repo}: ${error.message}`);
    if (error instanceof AppError) throw error;
    // Infrastructure (Docker down, a sandbox that died): one line a person can act on, not a stack.
    const message = (error as Error)?.message ?? String(error);
    const hint = /\.sock\b|ECONNREFUSED|Docker daemon/i.test(message) ? ' (is Docker running? --sandbox local runs without it)' : '';
    throw new AppError('TF_RUN', `the run could not finish: ${message.split('\n')[0]}${hint}`, { cause: error });
  }
  const written = await writeRunOutputs(out, run);
  const shown = (f: string) => {
    const rel = path.relative(process.cwd(), f);
    return rel && !rel.startsWith('..') ? rel : f;
  };
  progress(`wrote ${written.map(shown).join(', ')}`);
  if (run.status === 'fixed') {
    process.stdout.write(`fixed: ${run.proposal?.title ?? ''}\n`);
    return 0;
  }
  process.stdout.write(`${run.status}: ${run.reason ?? ''}\n`);
  return 1;
}
