// What a GitHub Actions runner hands `tracefix action`: its standard variables, and the step's
// inputs as INPUT_<NAME> (upper-cased, spaces as underscores, dashes kept: `INPUT_GITHUB-TOKEN`),
// exactly as it hands them to a JavaScript action. Other CI systems can set the same variables.
import path from 'node:path';
import { z } from 'zod';

const blankIsUnset = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));
const bool = (fallback: boolean) =>
  blankIsUnset.pipe(z.enum(['true', 'false', 'True', 'False', 'TRUE', 'FALSE']).optional()).transform((v) => (v === undefined ? fallback : v.toLowerCase() === 'true'));

/** The action's inputs (action.yml declares the same names; a test keeps the two in step). */
export const ACTION_INPUTS = [
  'github-token',
  'test-command',
  'label',
  'engine',
  'sandbox',
  'publish',
  'openai-base-url',
  'model',
  'openai-api-key',
  'fail-on-unfixed',
  'path',
] as const;
export type ActionInputName = (typeof ACTION_INPUTS)[number];

/** The runner variable that carries an input. */
export function inputVariable(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

export const ActionEnv = z.object({
  GITHUB_EVENT_NAME: z.string().min(1, 'required: the event that started the workflow'),
  GITHUB_EVENT_PATH: z.string().min(1, 'required: the file holding the event payload'),
  GITHUB_WORKSPACE: z.string().min(1, 'required: the checkout to repair'),
  GITHUB_REPOSITORY: z.string().regex(/^[\w.-]+\/[\w.-]+$/, 'must be owner/name'),
  GITHUB_SHA: z.string().regex(/^[0-9a-f]{40}$/i, 'must be a 40-character commit SHA'),
  GITHUB_REF: blankIsUnset,
  GITHUB_API_URL: blankIsUnset.pipe(z.url({ protocol: /^https?$/ }).optional()).transform((v) => v ?? 'https://api.github.com'),
  GITHUB_SERVER_URL: blankIsUnset.pipe(z.url({ protocol: /^https?$/ }).optional()).transform((v) => v ?? 'https://github.com'),
  GITHUB_RUN_ID: blankIsUnset,
  GITHUB_STEP_SUMMARY: blankIsUnset,
  GITHUB_OUTPUT: blankIsUnset,
  RUNNER_TEMP: z.string().min(1, 'required: where the run leaves its files'),
  'INPUT_GITHUB-TOKEN': blankIsUnset,
  'INPUT_TEST-COMMAND': blankIsUnset,
  INPUT_LABEL: blankIsUnset.transform((v) => v ?? 'tracefix'),
  INPUT_ENGINE: blankIsUnset.pipe(z.enum(['auto', 'templates', 'llm']).optional()).transform((v) => v ?? 'auto'),
  INPUT_SANDBOX: blankIsUnset.pipe(z.enum(['docker', 'local']).optional()).transform((v) => v ?? 'docker'),
  INPUT_PUBLISH: blankIsUnset.pipe(z.enum(['draft', 'ready', 'off']).optional()).transform((v) => v ?? 'draft'),
  'INPUT_OPENAI-BASE-URL': blankIsUnset.pipe(z.url({ protocol: /^https?$/ }).optional()),
  INPUT_MODEL: blankIsUnset,
  'INPUT_OPENAI-API-KEY': blankIsUnset,
  'INPUT_FAIL-ON-UNFIXED': bool(false),
  /** The repository to repair, relative to GITHUB_WORKSPACE (a monorepo's service, a second checkout). */
  INPUT_PATH: blankIsUnset,
});

/** The parsed runner environment, by meaning rather than by variable name. */
export interface ActionContext {
  eventName: string;
  eventPath: string;
  workspace: string;
  repository: { owner: string; name: string; fullName: string };
  sha: string;
  ref?: string;
  apiUrl: string;
  serverUrl: string;
  runId?: string;
  stepSummary?: string;
  outputFile?: string;
  runnerTemp: string;
  inputs: {
    githubToken?: string;
    testCommand?: string;
    label: string;
    engine: 'auto' | 'templates' | 'llm';
    sandbox: 'docker' | 'local';
    publish: 'draft' | 'ready' | 'off';
    openaiBaseUrl?: string;
    model?: string;
    openaiApiKey?: string;
    failOnUnfixed: boolean;
  };
}

export function toActionContext(e: z.infer<typeof ActionEnv>): ActionContext {
  const [owner = '', name = ''] = e.GITHUB_REPOSITORY.split('/');
  const optional = <K extends string, V>(key: K, value: V | undefined) => (value === undefined ? {} : ({ [key]: value } as Record<K, V>));
  return {
    eventName: e.GITHUB_EVENT_NAME,
    eventPath: e.GITHUB_EVENT_PATH,
    workspace: path.resolve(e.GITHUB_WORKSPACE, e.INPUT_PATH ?? '.'),
    repository: { owner, name, fullName: e.GITHUB_REPOSITORY },
    sha: e.GITHUB_SHA.toLowerCase(),
    ...optional('ref', e.GITHUB_REF),
    apiUrl: e.GITHUB_API_URL.replace(/\/+$/, ''),
    serverUrl: e.GITHUB_SERVER_URL.replace(/\/+$/, ''),
    ...optional('runId', e.GITHUB_RUN_ID),
    ...optional('stepSummary', e.GITHUB_STEP_SUMMARY),
    ...optional('outputFile', e.GITHUB_OUTPUT),
    runnerTemp: e.RUNNER_TEMP,
    inputs: {
      ...optional('githubToken', e['INPUT_GITHUB-TOKEN']),
      ...optional('testCommand', e['INPUT_TEST-COMMAND']),
      label: e.INPUT_LABEL,
      engine: e.INPUT_ENGINE,
      sandbox: e.INPUT_SANDBOX,
      publish: e.INPUT_PUBLISH,
      ...optional('openaiBaseUrl', e['INPUT_OPENAI-BASE-URL']),
      ...optional('model', e.INPUT_MODEL),
      ...optional('openaiApiKey', e['INPUT_OPENAI-API-KEY']),
      failOnUnfixed: e['INPUT_FAIL-ON-UNFIXED'],
    },
  };
}
