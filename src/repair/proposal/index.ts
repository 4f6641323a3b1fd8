// The proposal stage's parts: the PR text for a chosen candidate, and the run's output files.
export { buildProposal, proposalTitle, type ProposalInput } from './build.ts';
export { writeRunOutputs } from './write-outputs.ts';
export { code, codeCell, escapeText, fence } from './markdown.ts';
export { introducedBySection, withBisect } from './introduced-by.ts';
