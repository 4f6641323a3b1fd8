// GitHub intake: what the webhook route calls.
export { verifyGithubSignature } from './signature.ts';
export { parseGithubDelivery, githubDeliveryId, type GithubParseOptions } from './parse-delivery.ts';
export { readIssueBody, type IssueBodyFacts } from './issue-body.ts';
export { senderMayWrite, GithubApiError, type SenderRef } from './sender-trust.ts';
