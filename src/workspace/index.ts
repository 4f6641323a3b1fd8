// The workspace stage's public surface.
export { createWorkspaceManager } from './workspace.ts';
export type { CreateWorkspaceInput, Workspace, WorkspaceManager, WorkspaceManagerOptions } from './workspace.ts';
export type { RepoSource } from './repo-source.ts';
export { loadRepoConfig, parseRepoConfigFile } from './repo-config.ts';
export type { LoadRepoConfigOptions } from './repo-config.ts';
export { detectRepo } from './detect-repo.ts';
export { checkPath, findTestFiles, isPathAllowed, normalizeWorkspacePath } from './path-policy.ts';
export type { PathCheckOptions, PathDecision } from './path-policy.ts';
export { RepoConfigError, WorkspaceError } from './errors.ts';
export { incidentRepo, repoSourceFor, UnknownRepositoryError } from './incident-repo.ts';
export type { GithubAccess } from './incident-repo.ts';
