// The template engine's stopping rule (issue 18, speed): it validates candidates in order until N
// are validated (`repair.validatedCandidates` in .tracefix.yml, default 3), never every generated
// one. The engine is given a JS file with a crash and the validator the repair stage would hand it
// is replaced by the test's own policy (every candidate passes), so the count is the engine's alone.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Bundle } from '../../../schemas/bundle.ts';
import type { RepoConfig } from '../../../schemas/repo-config.ts';
import type { Candidate, Localization, Reproduced } from '../../../schemas/run.ts';
import { createTemplateEngine } from '../../../src/repair/template-repair-engine.ts';
import type { EngineContext, ProposedPatch } from '../../../src/repair/types.ts';
import { createHostSandbox } from '../../helpers/host-sandbox.ts';

const SOURCE = `'use strict';
/** The first tag of the item, upper-cased. */
function firstTag(item) {
  const tags = item.tags;
  return tags[0].toUpperCase();
}
module.exports = { firstTag };
`;

describe('template engine: stops after N validated candidates', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'tracefix-engine-stop-'));
    await writeFile(path.join(dir, 'tags.js'), SOURCE);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  async function run(validatedCandidates: number | undefined, option?: number): Promise<{ tried: ProposedPatch[]; records: Candidate[]; stopped: string }> {
    const tried: ProposedPatch[] = [];
    const localization: Localization = {
      // One score for every line: the engine's other stop (a lower location score) stays out of it.
      ranking: [4, 5].map((line) => ({ file: 'tags.js', line, function: 'firstTag', score: 1, reasons: ['crash frame'] })),
      weights: { frames: 1, spectrum: 0 },
      spectrum: { failingTests: [], passingTests: 0, coveredLines: 0, problems: [] },
    };
    const context = {
      bundle: { incident: { id: 'inc_engine_stop' } } as Bundle,
      sandbox: createHostSandbox(dir),
      repoConfig: { language: 'node', ...(validatedCandidates ? { repair: { validatedCandidates } } : {}) } as RepoConfig,
      reproduction: {} as Reproduced,
      localization,
      trackedFiles: ['tags.js'],
      validate: async (patch: ProposedPatch): Promise<Candidate> => {
        tried.push(patch);
        return { id: patch.id, engine: 'templates', description: patch.description, diff: '', stats: { files: 1, added: 1, removed: 0 }, status: 'validated', checks: [], durationMs: 1 } as unknown as Candidate;
      },
    } satisfies EngineContext;
    const engine = createTemplateEngine(option === undefined ? {} : { validatedCandidates: option });
    const result = await engine.run(context);
    return { tried, records: result.candidates, stopped: result.stopped };
  }

  it('stops at 3 by default, at the repository setting, and at the engine option over it', async () => {
    const byDefault = await run(undefined);
    assert.equal(byDefault.records.length, 3, byDefault.tried.map((p) => p.description).join('\n'));
    assert.equal(byDefault.stopped, 'validated');
    const one = await run(1);
    assert.equal(one.tried.length, 1);
    assert.equal(one.records[0]?.id, byDefault.records[0]?.id, 'the same first candidate');
    const five = await run(1, 5);
    assert.ok(five.tried.length > 3 && five.tried.length <= 5, `${five.tried.length} tried`);
  });
});
