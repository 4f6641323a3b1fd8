// The step's inputs stand in for the service's variables, so everything after this point reads
// one Config whichever way tracefix was started.
import path from 'node:path';
import type { ActionContext } from '../../schemas/action.ts';

export function actionConfigOverrides(context: ActionContext): Record<string, string | undefined> {
  const { inputs } = context;
  return {
    // The runner's temp dir is emptied after each job: nothing of one run leaks into the next.
    TRACEFIX_DATA_DIR: path.join(context.runnerTemp, 'tracefix-data'),
    TRACEFIX_GITHUB_API_URL: context.apiUrl,
    TRACEFIX_GITHUB_TOKEN: inputs.githubToken,
    TRACEFIX_GITHUB_LABEL: inputs.label,
    TRACEFIX_SANDBOX_DRIVER: inputs.sandbox,
    OPENAI_BASE_URL: inputs.openaiBaseUrl,
    TRACEFIX_MODEL: inputs.model,
    OPENAI_API_KEY: inputs.openaiApiKey,
  };
}
