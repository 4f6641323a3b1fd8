// Re-validation on a moved base: the repository checked out at the base head in a fresh sandbox,
// the reproduction test written in, and the patch judged by the same validator as during repair:
// the reproduction passes, the suite passes against the base's own baseline, and with the patch
// reverted the test fails again with the incident's signature. Nothing is pushed unless it passes.
import { readFile, lstat } from 'node:fs/promises';
import path from 'node:path';
import type { Run } from '../../schemas/run.ts';
import type { Config } from '../config.ts';
import { crashSiteOf } from '../repair/repair-stage.ts';
import { restoreReproduction } from '../reproduce/stage.ts';
import { openRunEnvironment } from '../run/run-env.ts';
import { createValidator, suiteBaseline } from '../repair/validate/index.ts';
import type { Logger } from '../telemetry.ts';
import type { RepoSource } from '../workspace/index.ts';
import { applyPatch, patchPaths, PatchApplyError, type OriginalFile } from './apply-patch.ts';
import type { Revalidate } from './publish.ts';

export interface RevalidateDeps {
  config: Config;
  /** The repository to check out (with its token for https; the token stays in the workspace layer). */
  repo: RepoSource;
  run: Run;
  diff: string;
  env?: Record<string, string>;
  log?: Logger;
}

export function sandboxRevalidation(deps: RevalidateDeps): Revalidate {
  return async ({ baseSha }) => {
    const { run } = deps;
    const reproduction = run.reproduction?.status === 'reproduced' ? run.reproduction : undefined;
    if (!reproduction) return { ok: false, reason: 'the run has no reproduction to re-validate with' };
    const env = await openRunEnvironment({ config: deps.config, runId: `${run.id}-publish`.slice(0, 120), repo: deps.repo, commit: baseSha, ...(deps.env ? { env: deps.env } : {}), ...(deps.log ? { log: deps.log } : {}) });
    try {
      const { before } = await patchPaths(deps.diff);
      const originals = new Map<string, OriginalFile>();
      for (const file of before) {
        const full = path.join(env.workspace.dir, file);
        const stat = await lstat(full).catch(() => undefined);
        if (stat?.isFile()) originals.set(file, { content: await readFile(full), mode: stat.mode & 0o111 ? '100755' : '100644' });
      }
      let patched;
      try {
        patched = await applyPatch(deps.diff, originals);
      } catch (error) {
        if (error instanceof PatchApplyError) return { ok: false, reason: error.message };
        throw error;
      }
      const files = new Map<string, string>();
      for (const [file, content] of patched) {
        if (!content) return { ok: false, reason: `the patch deletes ${file}, which re-validation cannot judge` };
        files.set(file, content.content.toString('utf8'));
      }
      await restoreReproduction(env, reproduction);
      const baseline = await suiteBaseline({ sandbox: env.sandbox, repoConfig: env.repoConfig, reproduction, ...(deps.env ? { env: deps.env } : {}), ...(deps.log ? { log: deps.log } : {}) });
      const crashSite = crashSiteOf(reproduction, env.trackedFiles);
      const validate = createValidator({
        sandbox: env.sandbox,
        repoConfig: env.repoConfig,
        reproduction,
        baseline,
        trackedFiles: env.trackedFiles,
        ...(crashSite ? { crashSite } : {}),
        ...(deps.env ? { env: deps.env } : {}),
        ...(deps.log ? { log: deps.log } : {}),
      });
      const chosen = run.candidates.find((c) => c.id === run.proposal?.candidateId);
      const candidate = await validate({
        id: `${chosen?.id ?? 'proposal'}-rebased`.slice(0, 128),
        engine: chosen?.engine ?? 'templates',
        description: chosen?.description ?? 'the proposed fix',
        ...(chosen?.location ? { location: chosen.location } : {}),
        files,
        locationScore: 0,
      });
      if (candidate.status === 'validated') return { ok: true };
      return { ok: false, reason: candidate.reason ?? `re-validation ended ${candidate.status}` };
    } finally {
      await env.close();
    }
  };
}
