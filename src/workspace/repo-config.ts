// loadRepoConfig: `.tracefix.yml` (strict, validated) over what detection finds in the checkout.
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import {
  DEFAULT_DENIED_PATHS,
  REPO_CONFIG_DEFAULTS,
  RepoConfig,
  RepoConfigFile,
  type InstallManager,
  type Language,
} from '../../schemas/repo-config.ts';
import type { Framework } from '../../schemas/test-results.ts';
import { explainFramework, getRunner } from '../runners/api.ts';
import { pythonInterpreter } from '../runners/shell.ts';
import { formatIssues } from './config-issues.ts';
import { defaultTestCommand, detectInstall, detectLanguage, gatherFacts, runnerLanguage } from './detect-repo.ts';
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

/** The framework a test command runs, when it names one (`python -m pytest`, `npx vitest run`, `node --test`). */
export function frameworkOfCommand(command: string, kind: 'node' | 'python'): Framework | undefined {
  if (kind === 'python') {
    if (/(^|[\s/])(py\.test|pytest)(\s|$)|-m\s+pytest\b/.test(command)) return 'pytest';
    if (/-m\s+unittest\b/.test(command)) return 'unittest';
    return undefined;
  }
  if (/\bnode\b[^|&;]*\s--test\b/.test(command)) return 'node-test';
  for (const name of ['vitest', 'jest', 'mocha'] as const) if (new RegExp(`(^|[\\s/])${name}(\\s|$)`).test(command)) return name;
  return undefined;
}

/** Registries each manager may use when the file names none. */
const DEFAULT_REGISTRIES: Record<Exclude<InstallManager, 'none'>, readonly string[]> = {
  npm: ['https://registry.npmjs.org/'],
  pnpm: ['https://registry.npmjs.org/'],
  // yarn 1 lockfiles resolve through its mirror of the npm registry.
  yarn: ['https://registry.yarnpkg.com/', 'https://registry.npmjs.org/'],
  pip: ['https://pypi.org/simple/'],
  uv: ['https://pypi.org/simple/'],
  poetry: ['https://pypi.org/simple/'],
};
const LOCKFILES: Record<Exclude<InstallManager, 'none'>, readonly string[]> = {
  npm: ['package-lock.json', 'npm-shrinkwrap.json'],
  pnpm: ['pnpm-lock.yaml'],
  yarn: ['yarn.lock'],
  pip: ['requirements.txt'],
  uv: ['uv.lock'],
  poetry: ['poetry.lock'],
};

/** `install:` of the file over what the lockfiles imply; undefined when nothing is to be installed. */
function resolveInstall(
  fileInstall: z.infer<typeof RepoConfigFile>['install'],
  language: Language,
  facts: Parameters<typeof detectLanguage>[0],
  fileName: string,
): RepoConfig['install'] {
  // The proxy lets install.command reach the registries and nothing else: both must be said.
  if (fileInstall?.network === 'proxy' && !fileInstall.command) {
    throw new RepoConfigError([`${fileName}: install.network: proxy opens the registries to install.command, which is not set`]);
  }
  const detected = detectInstall(language, facts);
  const manager = fileInstall?.manager ?? detected?.manager ?? (fileInstall?.command ? 'none' : undefined);
  if (!manager) return undefined;
  let lockfile: string | undefined;
  if (manager !== 'none') {
    lockfile = detected?.manager === manager ? detected.lockfile : LOCKFILES[manager].find((f) => facts.files.has(f));
    if (!lockfile) {
      throw new RepoConfigError([`${fileName}: install.manager: ${manager} needs ${LOCKFILES[manager].join(' or ')} at the top of the repository (installs are pinned by it)`]);
    }
  }
  const registries = fileInstall?.registries ?? (manager === 'none' ? [] : [...DEFAULT_REGISTRIES[manager]]);
  if (fileInstall?.network === 'proxy') {
    if (!registries.some((r) => /^https?:\/\//i.test(r))) throw new RepoConfigError([`${fileName}: install.network: proxy allows only install.registries: list the http(s) registries the command needs`]);
  }
  return {
    manager,
    ...(lockfile ? { lockfile } : {}),
    ...(fileInstall?.command ? { command: fileInstall.command } : {}),
    registries,
    scripts: fileInstall?.scripts ?? false,
    ...(fileInstall?.network === 'proxy' ? { network: 'proxy' as const } : {}),
  };
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
  // The file's test command always wins: when it names a framework, that is the framework.
  const fileCommand = file.test?.command;
  const commandFramework = fileCommand && !fileFramework ? frameworkOfCommand(fileCommand, kind) : undefined;
  let framework = fileFramework ?? commandFramework;
  let detection: { framework: Framework; evidence: string };
  if (fileFramework) detection = { framework: fileFramework, evidence: `${fileFramework}: named by ${present[0]} test.framework` };
  else if (commandFramework) detection = { framework: commandFramework, evidence: `${commandFramework}: ${present[0]} test.command \`${fileCommand}\` runs it` };
  else {
    const found = explainFramework(facts, kind);
    framework = found?.framework ?? (kind === 'python' ? 'unittest' : 'node-test');
    detection = { framework, evidence: found?.evidence ?? `${framework}: nothing in the repository names a supported test runner (the default for ${language})` };
    detected.push('test.framework');
  }
  if (!framework) throw new Error('unreachable: a framework is always chosen');
  const runner = getRunner(framework);
  // unittest's runner is given the interpreter: `python -m unittest …` keeps only its interpreter.
  const fileTestCommand = fileCommand && commandFramework === 'unittest' ? pythonInterpreter(fileCommand) : fileCommand;
  const testCommand = fileTestCommand ?? defaultTestCommand(framework, facts);
  if (!file.test?.command) detected.push('test.command');
  if (!file.test?.files) detected.push('test.files');
  if (!file.image) detected.push('image');
  const install = resolveInstall(file.install, language, facts, present[0] ?? '.tracefix.yml');
  if (install && !file.install?.manager) detected.push('install.manager');

  const t = REPO_CONFIG_DEFAULTS.timeouts;
  return RepoConfig.parse({
    language,
    framework,
    image: file.image ?? (kind === 'python' ? images.python : images.node),
    ...(install ? { install } : {}),
    test: { command: testCommand, files: file.test?.files ?? [...runner.defaultTestGlobs] },
    ...(file.typecheck ? { typecheck: file.typecheck } : {}),
    ...(file.lint ? { lint: file.lint } : {}),
    paths: { allow: file.paths?.allow ?? [], deny: [...DEFAULT_DENIED_PATHS, ...(file.paths?.deny ?? [])] },
    maxPatchLines: file.maxPatchLines ?? REPO_CONFIG_DEFAULTS.maxPatchLines,
    maxPatchFiles: file.maxPatchFiles ?? REPO_CONFIG_DEFAULTS.maxPatchFiles,
    flakeReruns: file.flakeReruns ?? REPO_CONFIG_DEFAULTS.flakeReruns,
    repair: { validatedCandidates: file.repair?.validatedCandidates ?? REPO_CONFIG_DEFAULTS.repair.validatedCandidates },
    ...(file.publish ? { publish: { ...(file.publish.minConfidence ? { minConfidence: file.publish.minConfidence } : {}) } } : {}),
    timeouts: {
      installMs: file.timeouts?.install ?? t.installMs,
      testMs: file.timeouts?.test ?? t.testMs,
      singleTestMs: file.timeouts?.singleTest ?? t.singleTestMs,
      checkMs: file.timeouts?.check ?? t.checkMs,
    },
    bisect: {
      enabled: file.bisect !== false,
      maxDepth: (typeof file.bisect === 'object' ? file.bisect.maxDepth : undefined) ?? REPO_CONFIG_DEFAULTS.bisect.maxDepth,
      timeoutMs: (typeof file.bisect === 'object' ? file.bisect.timeoutMs : undefined) ?? REPO_CONFIG_DEFAULTS.bisect.timeoutMs,
    },
    source: { file: present[0] ?? null, detected },
    detection: { ...detection, evidence: detection.evidence.slice(0, 2048) },
  });
}
