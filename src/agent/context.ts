// What every agent run sets up the same way, repair or reproduction: the tools' context (the
// repository's path policy, the incident's test environment).
import { reproEnv } from '../reproduce/gates.ts';
import { findTestFiles } from '../workspace/path-policy.ts';
import type { EngineContext } from '../repair/types.ts';
import type { EditLedger } from './edits.ts';
import type { ToolContext } from './tools/types.ts';

/** The environment of every test run: the incident's time zone, pytest's native tracebacks. */
export function incidentTestEnv(context: Pick<EngineContext, 'bundle' | 'repoConfig'>): Record<string, string> {
  const tz = context.bundle.repro.env.tz;
  return reproEnv(context.repoConfig, tz && /^[A-Za-z0-9_+\-/]{1,64}$/.test(tz) ? { TZ: tz } : {});
}

export function toolContext(context: Pick<EngineContext, 'sandbox' | 'repoConfig' | 'trackedFiles' | 'bundle' | 'log'>, ledger: EditLedger, reproduction?: ToolContext['reproduction']): ToolContext {
  const tracked = new Set(context.trackedFiles);
  return {
    sandbox: context.sandbox,
    repoConfig: context.repoConfig,
    trackedFiles: tracked,
    existingTests: new Set(findTestFiles(context.repoConfig, tracked)),
    ledger,
    ...(reproduction ? { reproduction } : {}),
    testEnv: incidentTestEnv(context),
    ...(context.log ? { log: context.log } : {}),
  };
}

