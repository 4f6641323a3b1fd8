// What the target repository says about publishing, read through the API at its default branch:
// the default branch itself and the `publish` section of its .tracefix.yml.
import type { RepoConfigFile } from '../../schemas/repo-config.ts';
import { parseRepoConfigFile, RepoConfigError } from '../workspace/index.ts';
import { githubStep, PublishError } from './errors.ts';
import type { GithubClient } from './github-client.ts';

export interface RepoSettings {
  defaultBranch: string;
  publish: RepoConfigFile['publish'] | undefined;
}

const FILES = ['.tracefix.yml', '.tracefix.yaml'];

export async function readRepoSettings(gh: GithubClient, owner: string, repo: string): Promise<RepoSettings> {
  const full = `${owner}/${repo}`;
  const info = await githubStep(full, 'read the repository', 'metadata: read', async () => (await gh.rest.repos.get({ owner, repo })).data);
  for (const path of FILES) {
    const text = await githubStep(full, `read ${path}`, 'contents: read', async () => {
      try {
        const { data } = await gh.rest.repos.getContent({ owner, repo, path, ref: info.default_branch });
        return !Array.isArray(data) && data.type === 'file' && 'content' in data ? Buffer.from(data.content, 'base64').toString('utf8') : undefined;
      } catch (error) {
        if ((error as { status?: number }).status === 404) return undefined;
        throw error;
      }
    });
    if (text === undefined) continue;
    try {
      return { defaultBranch: info.default_branch, publish: parseRepoConfigFile(text, path).publish };
    } catch (error) {
      if (error instanceof RepoConfigError) throw new PublishError('input', `the repository's ${path} is invalid: ${error.problems.join('; ').slice(0, 1000)}`);
      throw error;
    }
  }
  return { defaultBranch: info.default_branch, publish: undefined };
}
