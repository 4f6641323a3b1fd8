// The command registry: each command lives in its own module and is loaded only when run.
export interface Command {
  summary: string;
  run(args: string[]): Promise<number>;
}

export const COMMANDS: Record<string, Command> = {
  serve: {
    summary: 'Start the HTTP service (webhooks, OTLP, API); on the embedded defaults also the workers',
    run: async (args) => (await import('./serve.ts')).serve(args),
  },
  worker: {
    summary: 'Start the BullMQ workers and the outbox dispatcher against Postgres and Redis',
    run: async (args) => (await import('./worker.ts')).worker(args),
  },
  bundle: {
    summary: 'Assemble an evidence bundle offline from exported Sentry, GitHub and OTLP files',
    run: async (args) => (await import('./bundle.ts')).bundle(args),
  },
  repair: {
    summary: 'Reproduce and repair one incident from its bundle; writes patch.diff, the test, pr.md and result.json',
    run: async (args) => (await import('./repair.ts')).repair(args),
  },
  publish: {
    summary: 'Publish the output directory of `tracefix repair` as one pull request on GitHub (a second call updates it)',
    run: async (args) => (await import('./publish.ts')).publishCommand(args),
  },
  replay: {
    summary: "Print an LLM agent run's transcript: messages, tool calls, tokens, cost, budget events",
    run: async (args) => (await import('./replay.ts')).replay(args),
  },
  action: {
    summary: 'Run as a GitHub Actions step: a labelled issue or a failing test command → a fix, a PR or a review',
    run: async (args) => (await import('./action.ts')).action(args),
  },
  retry: {
    summary: 'Run an incident again (after fixing its configuration), or every incident whose last run failed for a configuration reason',
    run: async (args) => (await import('./retry.ts')).retry(args),
  },
  images: {
    summary: 'Build the sandbox images (offline by default)',
    run: async (args) => (await import('./images.ts')).images(args),
  },
};
