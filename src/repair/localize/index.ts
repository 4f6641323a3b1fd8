// Localization for the repair stage: rank suspicious (file, line) locations from the bundle's
// stack and the spectrum of the reproduction's coverage against the passing tests. The pure
// parts (frameLocations, buildSpectrum, ochiai, rankLocations) are exported for the template
// engine, the prompt builder and tests; localize() gathers coverage through the runners.
import path from 'node:path';
import type { Bundle } from '../../../schemas/bundle.ts';
import type { RepoConfig } from '../../../schemas/repo-config.ts';
import type { Localization } from '../../../schemas/run.ts';
import type { TestResults } from '../../../schemas/test-results.ts';
import type { Sandbox } from '../../sandbox/types.ts';
import { instrument, type Logger } from '../../telemetry.ts';
import { frameLocations, type FrameOptions } from './frames.ts';
import { functionIndex } from '../../reproduce/function-index.ts';
import { gatherCoverage } from './gather.ts';
import { localization } from './rank.ts';
import { buildSpectrum } from './spectrum.ts';

export { frameLocations, type FrameLocation, type FrameOptions } from './frames.ts';
export { buildSpectrum, ochiai, type LineSpectrum, type Spectrum, type SpectrumInput } from './spectrum.ts';
export { rankLocations, localization, effectiveWeights, type RankInput } from './rank.ts';
export { gatherCoverage, type GatherInput, type GatheredCoverage } from './gather.ts';
export { functionIndex, type FunctionAt } from '../../reproduce/function-index.ts';

export interface LocalizeInput {
  bundle: Bundle;
  sandbox: Sandbox;
  repoConfig: RepoConfig;
  workspaceFiles: readonly string[];
  /** The reproduction's test id (from the reproduce stage). */
  reproTestId: string;
  /** A suite run already made, reused to know which tests pass. */
  suite?: TestResults;
  weights?: { frames: number; spectrum: number };
  frames?: FrameOptions;
  maxPassing?: number;
  limit?: number;
  log?: Logger;
}

export async function localize(input: LocalizeInput): Promise<Localization> {
  const { bundle, sandbox, repoConfig, workspaceFiles, log } = input;
  return instrument('repair.localize', { 'tracefix.incident_id': bundle.incident.id }, async () => {
    const frames = frameLocations(bundle, workspaceFiles, input.frames);
    const problems: string[] = [];
    let spectrum;
    try {
      const gathered = await gatherCoverage({
        sandbox,
        repoConfig,
        failingTestId: input.reproTestId,
        ...(input.suite ? { suite: input.suite } : {}),
        ...(input.maxPassing ? { maxPassing: input.maxPassing } : {}),
        preferStems: [...new Set(frames.map((f) => path.posix.basename(f.file).replace(/\.[^.]+$/, '')))],
        ...(log ? { log } : {}),
      });
      problems.push(...gathered.problems);
      spectrum = buildSpectrum({ coverage: gathered.coverage, failing: gathered.failing, passing: gathered.passing });
    } catch (err) {
      // Coverage is an aid: without it the stack still ranks.
      problems.push(`coverage: ${(err as Error).message}`);
      log?.warn({ err }, 'Coverage for localization failed');
    }
    const files = [...new Set([...frames.map((f) => f.file), ...(spectrum?.lines.map((l) => l.file) ?? [])])];
    const functionAt = await functionIndex(sandbox, repoConfig, files);
    return localization(
      { frames, ...(spectrum ? { spectrum } : {}), ...(input.weights ? { weights: input.weights } : {}), functionAt, ...(input.limit ? { limit: input.limit } : {}) },
      problems,
    );
  });
}
