// The body of POST /api/incidents/:id/retry and POST /api/incidents/retry-failed (JSON or form).
import { z } from 'zod';

export const RetryBody = z.object({
  engine: z.enum(['auto', 'templates', 'llm'], { error: 'engine must be one of: auto, templates, llm' }).optional(),
});
export type RetryBody = z.infer<typeof RetryBody>;
