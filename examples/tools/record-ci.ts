// Records a CI failure's alert (ci-alert.json) the way `tracefix bundle --from-test` makes it: the
// service as a one-commit repository with the incident's red test (incident.json `ciTest`) at its
// place, the test run in the local sandbox, its failure turned into a `ci` alert, and the test as
// the reproduction.
//
//   node examples/tools/record-ci.ts examples/<service> <incident>
//
// The repository is a temporary copy: its path and commit are left out of the file (the commit a
// run repairs is the repository's HEAD, as for the other incidents).
import { execFile } from 'node:child_process';
import { chmod, cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { serviceFileFilter, type ExampleFile } from '../../bench/repair/convert-examples.ts';
import { loadConfig } from '../../src/config.ts';
import { alertFromFailingTest } from '../../src/reproduce/alert-from-test.ts';

const run = promisify(execFile);

async function main(): Promise<void> {
  const [serviceArg, name] = process.argv.slice(2);
  if (!serviceArg || !name) throw new Error('usage: node examples/tools/record-ci.ts examples/<service> <incident>');
  const serviceDir = path.resolve(serviceArg);
  const dir = path.join(serviceDir, 'incidents', name);
  const incident = JSON.parse(await readFile(path.join(dir, 'incident.json'), 'utf8')) as ExampleFile;
  if (incident.alert !== 'ci-test' || !incident.ciTest) throw new Error(`${name}: incident.json has no ciTest (alert "ci-test")`);
  const work = await mkdtemp(path.join(os.tmpdir(), 'record-ci-'));
  await chmod(work, 0o711);
  try {
    const repo = path.join(work, 'repo');
    await cp(serviceDir, repo, { recursive: true, filter: serviceFileFilter(serviceDir) });
    const target = path.join(repo, incident.ciTest.installAs);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, await readFile(path.join(dir, incident.ciTest.file), 'utf8'));
    const git = (...args: string[]) => run('git', ['-c', 'user.name=ci', '-c', 'user.email=ci@example.invalid', ...args], { cwd: repo });
    await git('init', '-q', '-b', 'main');
    await git('add', '-A');
    await git('commit', '-q', '-m', 'a red CI run');
    const config = loadConfig({ TRACEFIX_DATA_DIR: path.join(work, 'data') });
    const { alert, reproTest } = await alertFromFailingTest({ config, repoDir: repo, test: incident.ciTest.installAs, driver: 'local' });
    // The temporary repository is no part of the recording.
    const { commitSha: _commit, repoHint: _repo, ...recorded } = alert as typeof alert & { repoHint?: unknown };
    await writeFile(path.join(dir, 'ci-alert.json'), `${JSON.stringify({ alert: recorded, reproTest }, null, 2)}\n`);
    console.log(`${path.relative(process.cwd(), path.join(dir, 'ci-alert.json'))}: ${alert.errorType}: ${alert.message.split('\n').join(' ').slice(0, 120)}`);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

await main();
