// Shared setup of the agent tests: a fixture repository copied into a temp dir, the primary
// sandbox (bubblewrap, or the host helper where it cannot run), the real reproduce stage, a
// frames-only localization, the suite baseline and the real validator; an LLM config that points
// at the scripted server. Everything is real except the model.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Bundle } from '../../../schemas/bundle.ts';
import type { RepoConfig } from '../../../schemas/repo-config.ts';
import type { Localization, Reproduced } from '../../../schemas/run.ts';
import { loadConfig, type LlmConfig } from '../../../src/config.ts';
import { frameLocations } from '../../../src/repair/localize/frames.ts';
import { localization } from '../../../src/repair/localize/rank.ts';
import { crashSiteOf } from '../../../src/repair/repair-stage.ts';
import type { EngineContext, ValidateFn } from '../../../src/repair/types.ts';
import { createValidator, suiteBaseline } from '../../../src/repair/validate/index.ts';
import { reproduce } from '../../../src/reproduce/index.ts';
import { listWorkspaceFiles } from '../../../src/reproduce/workspace-paths.ts';
import type { Sandbox } from '../../../src/sandbox/types.ts';
import { loadRepoConfig } from '../../../src/workspace/repo-config.ts';
import { fixtureBundle } from '../../unit/reproduce/helpers.ts';
import { copyRepo, sandboxTargets, type RepoCopy } from '../reproduce/helpers.ts';

export const CART_FIX = {
  path: 'src/cart.js',
  old_text: '  const coupon = findCoupon(code);\n',
  new_text: '  const coupon = findCoupon(code);\n  if (!coupon) return total;\n',
};

export const ROOT_CAUSE =
  'findCoupon returns undefined for a code that is not in the coupon table (SPRING24 is unknown), and applyCoupon read coupon.rate without checking, so checkout threw a TypeError for any unknown coupon instead of charging the full total.';

/** The env of an LLM config for the scripted server (every budget explicit, so tests read plainly). */
export function llmEnv(baseUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    OPENAI_BASE_URL: baseUrl,
    OPENAI_API_KEY: 'sk-test-Zq8kR2vN5xW1pL7mC3bT9yH4',
    TRACEFIX_MODEL: 'scripted-model',
    TRACEFIX_LLM_PRICES: JSON.stringify({ 'scripted-model': { inputPerMTok: 1, outputPerMTok: 4 } }),
    TRACEFIX_LLM_ATTEMPTS: '1',
    ...extra,
  };
}

export function llmConfig(baseUrl: string, extra: Record<string, string> = {}): LlmConfig {
  const llm = loadConfig(llmEnv(baseUrl, extra)).llm;
  assert.ok(llm);
  return llm;
}

export interface RepairSetup {
  repo: RepoCopy;
  sandbox: Sandbox;
  repoConfig: RepoConfig;
  bundle: Bundle;
  reproduction: Reproduced;
  localization: Localization;
  trackedFiles: string[];
  validate: ValidateFn;
  /** sha256 of every workspace file: the state every run must leave behind. */
  fingerprint(): Promise<string>;
  context(overrides?: Partial<EngineContext>): EngineContext;
  cleanup(): Promise<void>;
}

async function workspaceFingerprint(dir: string): Promise<string> {
  const hash = createHash('sha256');
  for (const file of await listWorkspaceFiles(dir)) hash.update(`${file}\0${await readFile(path.join(dir, file), 'utf8')}\0`);
  return hash.digest('hex');
}

/** js-cart reproduced, localized and baselined, ready for an engine. `extraFiles` are added to the
 * checkout before anything runs (and count as tracked). */
export async function setUpRepair(options: { name?: string; extraFiles?: Record<string, string> } = {}): Promise<RepairSetup> {
  const name = options.name ?? 'js-cart';
  const repo = await copyRepo(name);
  for (const [file, content] of Object.entries(options.extraFiles ?? {})) {
    await mkdir(path.dirname(path.join(repo.dir, file)), { recursive: true });
    await writeFile(path.join(repo.dir, file), content);
  }
  const trackedFiles = await listWorkspaceFiles(repo.dir);
  const [target] = await sandboxTargets();
  const sandbox = await target!.create(repo.dir, 'node');
  const repoConfig = await loadRepoConfig(repo.dir);
  const bundle = await fixtureBundle(name);
  const reproduction = await reproduce({ bundle, workspaceDir: repo.dir, sandbox, repoConfig });
  assert.equal(reproduction.status, 'reproduced', JSON.stringify(reproduction, null, 2));
  const workspaceFiles = await listWorkspaceFiles(repo.dir);
  const loc = localization({ frames: frameLocations(bundle, workspaceFiles) });
  const baseline = await suiteBaseline({ sandbox, repoConfig, reproduction });
  const crashSite = crashSiteOf(reproduction, trackedFiles);
  const validate = createValidator({ sandbox, repoConfig, reproduction, baseline, trackedFiles, ...(crashSite ? { crashSite } : {}) });
  const setup: RepairSetup = {
    repo,
    sandbox,
    repoConfig,
    bundle,
    reproduction,
    localization: loc,
    trackedFiles,
    validate,
    fingerprint: () => workspaceFingerprint(repo.dir),
    context: (overrides = {}) => ({ bundle, sandbox, repoConfig, reproduction, localization: loc, trackedFiles, validate, ...overrides }),
    cleanup: async () => {
      await sandbox.destroy();
      await repo.cleanup();
    },
  };
  return setup;
}
