// loadRepoConfig: `.tracefix.yml` (strict, validated) over what detection finds in the checkout.
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import {
  DEFAULT_DENIED_PATHS,
  REPO_CONFIG_DEFAULTS,
  RepoConfig,
  RepoConfigFile,
  type Language,
} from '../../schemas/repo-config.ts';
import type { Framework } from '../../schemas/test-results.ts';
import { detectFramework, getRunner } from '../runners/api.ts';
import { formatIssues } from './config-issues.ts';
import { defaultInstallCommand, defaultTestCommand, detectLanguage, gatherFacts, runnerLanguage } from './detect-repo.ts';
import { RepoConfigError } from './errors.ts';
import { readSmallFile } from './safe-read.ts';

export interface LoadRepoConfigOptions {
  /** Sandbox images per runtime. @defaultValue tracefix/sandbox-node:latest, tracefix/sandbox-python:latest */
  images?: { node: string; python: string };
}

const DEFAULT_IMAGES = { node: 'tracefix/sandbox-node:latest', python: 'tracefix/sandbox-python:latest' };
const FILE_NAMES = ['.tracefix.yml', '.tracefix.yaml'] as const;

type Walkable = { shape?: Record<string, unknown>; def?: { out?: unknown; innerType?: unknown } };

/** The object shape under optional() and preprocess() wrappers. */
function objectShape(schema: unknown): Record<string, unknown> | undefined {
  let s = schema as Walkable | undefined;
  for (let i = 0; i < 5 && s && !s.shape; i++) s = (s.def?.out ?? s.def?.innerType) as Walkable | undefined;
  return s?.shape;
}

/** Keys the file schema accepts at a path, for "did you mean" hints. */
function knownKeys(path: readonly PropertyKey[]): readonly string[] {
  let shape = objectShape(RepoConfigFile);
  for (const part of path) shape = objectShape(shape?.[String(part)]);
  return shape ? Object.keys(shape) : [];
}

/** Parses and validates the text of a `.tracefix.yml`; throws RepoConfigError naming each bad key. */
export function parseRepoConfigFile(text: string, file = '.tracefix.yml'): z.infer<typeof RepoConfigFile> {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new RepoConfigError(
      doc.errors.map((e) => {
        const at = e.linePos?.[0];
        const message = (e.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
        return `${file}: ${at ? `line ${at.line}, column ${at.col}: ` : ''}${message}`;
      }),
    );
  }
  const data: unknown = doc.toJS() ?? {};
  const parsed = RepoConfigFile.safeParse(data, { reportInput: true });
  if (!parsed.success) throw new RepoConfigError(formatIssues(file, parsed.error.issues, knownKeys));
  return parsed.data;
}

function languageOf(framework: Framework, facts: Parameters<typeof detectLanguage>[0]): Language {
  if (getRunner(framework).language === 'python') return 'python';
  return detectLanguage(facts) === 'typescript' ? 'typescript' : 'node';
}

/** The repository's configuration: its `.tracefix.yml`, if any, over detected defaults. */
export async function loadRepoConfig(dir: string, options: LoadRepoConfigOptions = {}): Promise<RepoConfig> {
  const images = options.images ?? DEFAULT_IMAGES;
  const present: string[] = [];
  let file: z.infer<typeof RepoConfigFile> = {};
  for (const name of FILE_NAMES) {
    const text = await readSmallFile(dir, name);
    if (text === undefined) continue;
    present.push(name);
    file = parseRepoConfigFile(text, name);
  }
  if (present.length > 1) throw new RepoConfigError([`${present.join(' and ')} both exist: keep one`]);

  const facts = await gatherFacts(dir);
  const detected: string[] = [];
  const fileFramework = file.test?.framework;
  let language = file.language ?? (fileFramework ? languageOf(fileFramework, facts) : undefined);
  if (!language) {
    language = detectLanguage(facts);
    if (!language) throw new RepoConfigError([`${present[0] ?? '.tracefix.yml'}: language: cannot detect the language (no package.json, tsconfig.json, pyproject.toml, setup.py or requirements.txt): set it`]);
    detected.push('language');
  }
  const kind = runnerLanguage(language);
  if (fileFramework && getRunner(fileFramework).language !== kind) {
    throw new RepoConfigError([`${present[0]}: test.framework: ${fileFramework} does not run ${language} code`]);
  }
  let framework = fileFramework;
  if (!framework) {
    framework = detectFramework(facts, kind) ?? (kind === 'python' ? 'unittest' : 'node-test');
    detected.push('test.framework');
  }
  const runner = getRunner(framework);
  const testCommand = file.test?.command ?? defaultTestCommand(framework, facts);
  if (!file.test?.command) detected.push('test.command');
  if (!file.test?.files) detected.push('test.files');
  if (!file.image) detected.push('image');
  const installCommand = file.install?.command ?? defaultInstallCommand(language, facts);
  if (!file.install && installCommand) detected.push('install');

  const t = REPO_CONFIG_DEFAULTS.timeouts;
  return RepoConfig.parse({
    language,
    framework,
    image: file.image ?? (kind === 'python' ? images.python : images.node),
    ...(installCommand ? { install: { command: installCommand, ...(file.install?.network ? { network: file.install.network } : {}) } } : {}),
    test: { command: testCommand, files: file.test?.files ?? [...runner.defaultTestGlobs] },
    ...(file.typecheck ? { typecheck: file.typecheck } : {}),
    ...(file.lint ? { lint: file.lint } : {}),
    paths: { allow: file.paths?.allow ?? [], deny: [...DEFAULT_DENIED_PATHS, ...(file.paths?.deny ?? [])] },
    maxPatchLines: file.maxPatchLines ?? REPO_CONFIG_DEFAULTS.maxPatchLines,
    maxPatchFiles: file.maxPatchFiles ?? REPO_CONFIG_DEFAULTS.maxPatchFiles,
    flakeReruns: file.flakeReruns ?? REPO_CONFIG_DEFAULTS.flakeReruns,
    ...(file.publish ? { publish: { ...(file.publish.minConfidence ? { minConfidence: file.publish.minConfidence } : {}) } } : {}),
    timeouts: {
      installMs: file.timeouts?.install ?? t.installMs,
      testMs: file.timeouts?.test ?? t.testMs,
      singleTestMs: file.timeouts?.singleTest ?? t.singleTestMs,
      checkMs: file.timeouts?.check ?? t.checkMs,
    },
    source: { file: present[0] ?? null, detected },
  });
}
