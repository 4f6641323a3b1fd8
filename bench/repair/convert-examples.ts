// The converter for examples/ (small instrumented services with real bugs, issue 5). The examples
// do not exist yet; this file fixes the interface they will be converted through, so the harness
// and the corpus format need no change when they land.
//
// An example service becomes one bug per incident:
//   repo/            the service at its buggy commit, with its own (passing) test suite
//   incident.json    { kind: 'bundle', bundle }: the incident's bundle (schemas/bundle.ts), as
//                    assembled from its Sentry payload, OTLP trace and logs; the reproduce stage
//                    turns it into the failing test (the direct path in direct-pipeline.ts only
//                    handles visible failing tests, so these bugs wait for the repair core)
//   ground-truth/    the example's regression test for the incident (the test the fix commit adds)
//   meta.json        tests.visible = the repo's test command; tests.groundTruth = that command with
//                    the regression test; files = the service's source files a patch may touch
import type { BugFiles } from './corpus.ts';

/** What an example directory must provide to be converted (an `incidents/<name>/` per incident). */
export interface ExampleIncident {
  /** examples/<service> relative path. */
  service: string;
  /** examples/<service>/incidents/<name>. */
  name: string;
  language: 'python' | 'node' | 'typescript';
  /** The bug class it demonstrates (null dereference, zero divisor, …). */
  bugType: string;
  /** Path of the assembled bundle JSON (or of the raw Sentry/OTLP inputs to assemble). */
  bundle: string;
  /** Regression test files that reveal the bug, relative to the service root. */
  regressionTests: string[];
  /** The service's test command (argv) and the files a patch may edit. */
  testCommand: string[];
  files: string[];
}

export interface ExampleConverter {
  /** Finds the incidents under an examples/ directory. */
  discover(examplesDir: string): Promise<ExampleIncident[]>;
  /** Builds the bug folder's files for one incident (the caller writes them with writeBug). */
  convert(incident: ExampleIncident): Promise<BugFiles>;
}

/** Placeholder until examples/ exists: finds nothing, converts nothing. */
export const examplesConverter: ExampleConverter = {
  discover: async () => [],
  convert: async (incident) => {
    throw new Error(`examples/ conversion is not implemented yet (asked for ${incident.service}/${incident.name})`);
  },
};
