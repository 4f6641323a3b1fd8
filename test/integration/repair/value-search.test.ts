// Wrong-output bugs no template fixes, fixed by the value search (src/repair/value-search/): a red
// CI test becomes the incident (`tracefix bundle --from-test`), `tracefix repair` runs the template
// engine in the sandbox, every template candidate is rejected, and the value search finds the
// value that makes the test pass, synthesizes an expression over the names in scope that gives it
// (and keeps the passing tests' values), and the gates validate it. The patch then passes hidden
// assertions the repair never saw, and the proposal says how the expression was found.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmod, cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { Run } from '../../../schemas/run.ts';
import { runCli } from '../../helpers/cli.ts';
import { FIXTURES_DIR } from '../../helpers/fixture-repos.ts';
import { gitIn } from '../../helpers/git-repo.ts';
import { bwrapUnavailable, sandboxImagesUnavailable } from '../../helpers/sandbox-probes.ts';

const run = promisify(execFile);

interface Case {
  fixture: string;
  test: string;
  file: string;
  /** The line the value search must end up writing. */
  fixed: RegExp;
  /** The hidden check: a test file the repair never sees, and the command that runs it. */
  hidden: { path: string; text: string; argv: string[] };
}

const CASES: Case[] = [
  {
    fixture: 'wrong-output-js',
    test: 'test/pricing.test.js',
    file: 'src/pricing.js',
    // A variable in scope used twice: no single-token mutation of `subtotal - discount` gives it.
    fixed: /^\+ {2}return .*(subtotal.*discount|discount.*subtotal).*;$/m,
    hidden: {
      path: 'hidden.test.js',
      text: "import assert from 'node:assert/strict';\nimport { test } from 'node:test';\nimport { bulkPrice } from './src/pricing.js';\ntest('hidden', () => {\n  assert.equal(bulkPrice(4, 20), 72);\n  assert.equal(bulkPrice(10, 9), 90);\n  assert.equal(bulkPrice(3, 10), 27);\n});\n",
      argv: [process.execPath, '--test', 'hidden.test.js'],
    },
  },
  {
    fixture: 'wrong-output-py',
    test: 'tests/test_fees.py',
    file: 'billing/fees.py',
    // A boundary constant that must become a parameter (literal changes try 2, 4 and 0; no template
    // replaces a literal with a name).
    fixed: /^\+ {4}if days_late <= grace_days:$/m,
    hidden: {
      path: 'tests/test_hidden.py',
      text: 'from billing.fees import late_fee\n\n\ndef test_hidden():\n    assert late_fee(5, 2, 5) == 0\n    assert late_fee(6, 2, 5) == 2\n    assert late_fee(1, 9, 0) == 9\n    assert late_fee(4, 3, 3) == 3\n',
      argv: ['python3', '-m', 'pytest', '-q', '-p', 'no:cacheprovider', 'tests/test_hidden.py'],
    },
  },
];

async function redRepo(dir: string, fixture: string): Promise<string> {
  const repo = path.join(dir, 'repo');
  await cp(path.join(FIXTURES_DIR, fixture), repo, { recursive: true });
  await gitIn(repo, 'init', '-q', '-b', 'main');
  await gitIn(repo, 'add', '-A');
  await gitIn(repo, 'commit', '-q', '-m', 'a red CI run');
  return repo;
}

// Both languages in the local sandbox; the docker sandbox runs the JS case only (each case is a
// whole `tracefix repair`: 40 template candidates, then the search, minutes on a shared machine).
for (const driver of ['local', 'docker'] as const) {
  const skip = driver === 'local' ? bwrapUnavailable() : await sandboxImagesUnavailable();
  describe(`value search on wrong-output bugs (${driver} sandbox)`, { skip }, () => {
    for (const c of driver === 'local' ? CASES : CASES.slice(0, 1)) {
      it(`fixes ${c.fixture} where no template candidate validates`, { timeout: 900_000 }, async (t) => {
        const dir = await mkdtemp(path.join(os.tmpdir(), `tracefix-value-search-${c.fixture}-`));
        await chmod(dir, 0o711);
        t.after(() => rm(dir, { recursive: true, force: true }));
        const repo = await redRepo(dir, c.fixture);
        const env = { TRACEFIX_DATA_DIR: path.join(dir, 'data'), TRACEFIX_SANDBOX_DRIVER: driver };
        const bundlePath = path.join(dir, 'bundle.json');
        const made = await runCli(['bundle', '--from-test', c.test, '--repo', repo, '--sandbox', driver, '-o', bundlePath], env, 180_000);
        assert.equal(made.code, 0, made.output);
        const out = path.join(dir, 'out');
        const repaired = await runCli(['repair', '--bundle', bundlePath, '--repo', repo, '--engine', 'templates', '--sandbox', driver, '--out', out], env, 540_000);
        const result = Run.parse(JSON.parse(await readFile(path.join(out, 'result.json'), 'utf8')));
        assert.equal(result.status, 'fixed', repaired.output);

        // The templates had their turn first, and none of their candidates validated.
        const templates = result.candidates.filter((x) => !x.description.startsWith('value-search:'));
        assert.ok(templates.length > 0, 'the template candidates ran first');
        assert.deepEqual(templates.filter((x) => x.status === 'validated'), [], 'no template fixes it');
        const chosen = result.candidates.find((x) => x.id === result.proposal?.candidateId);
        assert.ok(chosen, repaired.output);
        assert.match(chosen.description, /^value-search: .*synthesized from a value search/);
        assert.deepEqual(
          chosen.checks.filter((k) => !k.ok),
          [],
        );
        const diff = await readFile(path.join(out, 'patch.diff'), 'utf8');
        assert.match(diff, c.fixed, diff);
        assert.doesNotMatch(diff, /tracefix|__tfProbe|_tracefix_probe/, 'no probe in the patch');

        // Honest about where it came from: the PR says it was searched, and the confidence is low.
        const pr = await readFile(path.join(out, 'pr.md'), 'utf8');
        assert.match(pr, /synthesized from a value search/);
        assert.equal(result.proposal?.confidence?.level, 'low', JSON.stringify(result.proposal?.confidence));

        // The hidden assertions pass with the patch applied (the repair never saw them).
        await gitIn(repo, 'apply', path.join(out, 'patch.diff'));
        await writeFile(path.join(repo, c.hidden.path), c.hidden.text);
        await run(c.hidden.argv[0]!, c.hidden.argv.slice(1), { cwd: repo, timeout: 60_000 });
        // And the workspace the repair used held no probe leftovers in the user's repository.
        const status = await gitIn(repo, 'status', '--porcelain');
        assert.doesNotMatch(status, /tracefix-probe/);
      });
    }
  });
}
