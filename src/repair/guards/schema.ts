// The Python helper's suppression answer crosses a process boundary: parsed, never trusted.
import { z } from 'zod';
import type { SuppressionFacts } from './types.ts';

const Counts = z.record(z.string(), z.number().int());

export const SuppressionFactsSchema = z.object({
  found: z.object({ before: z.boolean(), after: z.boolean() }),
  functionName: z.string(),
  crashCalls: z.array(z.string()),
  calls: z.object({ before: Counts, after: Counts }),
  swallowing: z.array(z.object({ line: z.number().int(), handler: z.string() })),
  firstExit: z.object({ before: z.number().int(), after: z.number().int() }),
  statements: z.object({ before: z.number().int(), after: z.number().int() }),
  alwaysTrueGuards: z.array(z.object({ line: z.number().int(), condition: z.string() })),
}) satisfies z.ZodType<SuppressionFacts>;
