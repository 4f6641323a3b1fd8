// The intent gate's sandbox side: the originals of the files a patch changes (the workspace is
// restored between candidates, so it holds them), the judgement, and the record of a candidate
// rejected for contradicting the contract (the same shape the validator writes).
import type { Candidate, IntentJudgement } from '../../../schemas/run.ts';
import type { Sandbox } from '../../sandbox/types.ts';
import { diffStats, unifiedDiff } from '../templates/unified-diff.ts';
import type { ProposedPatch } from '../types.ts';
import { judgePatch } from './index.ts';

export interface PatchIntent {
  intent: IntentJudgement;
  originals: ReadonlyMap<string, string | undefined>;
}

export async function intentOf(sandbox: Sandbox, patch: ProposedPatch): Promise<PatchIntent | undefined> {
  const originals = new Map<string, string | undefined>();
  for (const file of patch.files.keys()) originals.set(file, await sandbox.readFile(file).catch(() => undefined));
  const judged = judgePatch(patch.files, originals);
  if (!judged) return undefined;
  const { contracts: _contracts, ...intent } = judged;
  return { intent, originals };
}

/** The record of a candidate the intent gate rejected: never run in the sandbox. */
export function contractRejection(patch: ProposedPatch, { intent, originals }: PatchIntent): Candidate {
  let diff = '';
  const stats = { files: 0, added: 0, removed: 0 };
  for (const [file, after] of patch.files) {
    const before = originals.get(file) ?? '';
    const d = unifiedDiff(file, before, after);
    if (!d) continue;
    diff += d.endsWith('\n') ? d : `${d}\n`;
    const s = diffStats(before, after);
    stats.files++;
    stats.added += s.added;
    stats.removed += s.removed;
  }
  const reason = `contradicts the function's contract: ${intent.reasons[0] ?? intent.agreement}`;
  return {
    id: patch.id,
    engine: patch.engine,
    description: patch.description,
    ...(patch.location ? { location: patch.location } : {}),
    diff,
    stats,
    status: 'rejected',
    reason: reason.slice(0, 4096),
    checks: [{ name: 'contract', ok: false, detail: intent.reasons.join('; ').slice(0, 4096) }],
    durationMs: 0,
    intent,
  };
}
