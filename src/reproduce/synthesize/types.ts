// The synthesizer's output: for each production frame it considered, a test to try or the reason
// no test could be written for it. The gates then run the tests in order.
import type { Bundle } from '../../../schemas/bundle.ts';
import type { RepoConfig } from '../../../schemas/repo-config.ts';
import type { ArgumentSource } from '../../../schemas/run.ts';
import type { Sandbox } from '../../sandbox/types.ts';

export interface FrameRef {
  index: number;
  /** Workspace-relative. */
  file: string;
  function: string;
  line?: number;
}

export interface TestCandidate {
  kind: 'test';
  frame: FrameRef;
  /** Workspace-relative path the test is written to. */
  testFile: string;
  testId: string;
  content: string;
  arguments: ArgumentSource[];
  /** `computeTotal(cart) from src/cart.js`: for logs and the attempt record. */
  description: string;
}

export interface SkippedFrame {
  kind: 'skipped';
  frame: FrameRef;
  reason: string;
  /** Present when only parameters without a recorded value stopped the frame: the input
   * search's variants (search.ts), best evidence first, tried after every recorded candidate. */
  search?: (max: number) => Promise<TestCandidate[]>;
}

export type FramePlan = TestCandidate | SkippedFrame;

export interface SynthesisContext {
  bundle: Bundle;
  sandbox: Sandbox;
  config: RepoConfig;
  workspaceFiles: readonly string[];
  shortId: string;
  /** Header comment lines shared by every candidate of the incident. */
  header: string[];
}
