// istanbul coverage-final.json (jest, vitest coverage providers) → executed lines per file: the
// start line of every statement that ran. Providers map transpiled code back through source maps,
// so these lines are the source's.
import { z } from 'zod';

const Position = z.object({ line: z.number().int() });
const FileCoverage = z.looseObject({
  path: z.string().optional(),
  statementMap: z.record(z.string(), z.object({ start: Position, end: Position.optional() })),
  s: z.record(z.string(), z.number()),
});
export const IstanbulReport = z.record(z.string(), FileCoverage);

/** Absolute path (as reported) → executed lines. */
export function istanbulLines(json: string): Map<string, Set<number>> {
  const report = IstanbulReport.parse(JSON.parse(json));
  const out = new Map<string, Set<number>>();
  for (const [key, file] of Object.entries(report)) {
    const lines = new Set<number>();
    for (const [id, count] of Object.entries(file.s)) {
      const line = file.statementMap[id]?.start.line;
      if (count > 0 && line !== undefined && line > 0) lines.add(line);
    }
    out.set(file.path ?? key, lines);
  }
  return out;
}
