// The run's files, as the CLI and the GitHub Action step leave them for a person or a later step:
// result.json (the run record, schemas/run.ts), and when the run produced them the patch
// (patch.diff), the PR text (pr.md: the title as a heading, then the body) and the reproduction
// test under its own file name.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Run } from '../../../schemas/run.ts';
import { escapeText } from './markdown.ts';

/** The test's file name, when it is a plain one (never a path out of `dir`). */
function testFileName(testFile: string): string | undefined {
  const name = path.posix.basename(testFile.replace(/\\/g, '/'));
  return name && name !== '.' && name !== '..' && name !== 'result.json' && name !== 'patch.diff' && name !== 'pr.md' ? name : undefined;
}

/**
 * Writes the run's outputs into `dir` (created when missing) and returns the paths written.
 * The record is parsed with Run first: an invalid record throws before anything is written.
 */
export async function writeRunOutputs(dir: string, run: Run): Promise<string[]> {
  const record = Run.parse(run);
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  const put = async (name: string, content: string) => {
    const file = path.join(dir, name);
    await writeFile(file, content);
    written.push(file);
  };
  const proposal = record.status === 'fixed' ? record.proposal : null;
  if (proposal) await put('patch.diff', proposal.diff);
  const repro = record.reproduction?.status === 'reproduced' ? record.reproduction : undefined;
  const testFile = proposal?.testFile ?? repro?.testFile;
  const testContent = proposal?.testContent ?? repro?.testContent;
  const name = testFile ? testFileName(testFile) : undefined;
  if (name && testContent !== undefined) await put(name, testContent);
  if (proposal) await put('pr.md', `# ${escapeText(proposal.title)}\n\n${proposal.body}${proposal.body.endsWith('\n') ? '' : '\n'}`);
  await put('result.json', `${JSON.stringify(record, null, 2)}\n`);
  return written;
}
