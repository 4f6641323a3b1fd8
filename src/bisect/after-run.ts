// The one call a run makes into bisect: once the repair stage is done with a reproduced incident,
// bisect for the introducing commit and put the answer in the record and the PR body. A run that
// did not reproduce has nothing to bisect with and is returned as it is.
import type { RepoConfig } from '../../schemas/repo-config.ts';
import type { Run } from '../../schemas/run.ts';
import type { Config } from '../config.ts';
import { withBisect } from '../repair/proposal/introduced-by.ts';
import type { Logger } from '../telemetry.ts';
import type { RepoSource } from '../workspace/index.ts';
import { bisectIntroduction } from './index.ts';
import type { ReleaseCommit } from './good-releases.ts';

export interface BisectRunInput {
  config: Config;
  repo: RepoSource;
  repoConfig: RepoConfig;
  driver: 'docker' | 'local';
  env?: Record<string, string>;
  goodReleases?: readonly ReleaseCommit[];
  log?: Logger;
  progress?: (message: string) => void;
}

export async function bisectRun(run: Run, input: BisectRunInput): Promise<Run> {
  if (run.reproduction?.status !== 'reproduced') return run;
  const bisect = await bisectIntroduction({
    config: input.config,
    repo: input.repo,
    commit: run.repo.commit,
    reproduction: run.reproduction,
    repoConfig: input.repoConfig,
    runId: run.id,
    driver: input.driver,
    ...(input.env ? { env: input.env } : {}),
    ...(input.goodReleases ? { goodReleases: input.goodReleases } : {}),
    ...(input.log ? { log: input.log } : {}),
    ...(input.progress ? { progress: input.progress } : {}),
  });
  return withBisect(run, bisect);
}
