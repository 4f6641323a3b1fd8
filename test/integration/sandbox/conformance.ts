// The Sandbox contract, as tests any driver must pass. Registered inside a describe() by
// docker-conformance.test.ts and local-conformance.test.ts.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { it } from 'node:test';
import { SandboxPathError } from '../../../src/sandbox/paths.ts';
import { withSandbox, type SuiteTarget } from './helpers.ts';

export function conformanceTests(target: SuiteTarget): void {
  it('reports exit codes', async () => {
    await withSandbox(target, {}, async (sb) => {
      assert.equal((await sb.exec(['true'])).exitCode, 0);
      assert.equal((await sb.exec(['sh', '-c', 'exit 7'])).exitCode, 7);
      assert.equal((await sb.exec(['no-such-command-xyz'])).exitCode, 127);
    });
  });

  it('separates stdout and stderr and passes stdin', async () => {
    await withSandbox(target, {}, async (sb) => {
      const r = await sb.exec(['sh', '-c', 'echo to-out; echo to-err >&2']);
      assert.equal(r.stdout, 'to-out\n');
      assert.equal(r.stderr, 'to-err\n');
      assert.equal(r.truncated, false);
      assert.equal(r.timedOut, false);
      assert.equal(r.oomKilled, false);
      assert.ok(r.durationMs >= 0);
      const piped = await sb.exec(['sh', '-c', 'tr a-z A-Z'], { stdin: 'shout\n' });
      assert.equal(piped.stdout, 'SHOUT\n');
    });
  });

  it('runs in /workspace, a relative cwd, or an absolute one', async () => {
    await withSandbox(target, {}, async (sb) => {
      assert.equal((await sb.exec(['pwd'])).stdout, '/workspace\n');
      assert.equal((await sb.exec(['pwd'], { cwd: 'src' })).stdout, '/workspace/src\n');
      assert.equal((await sb.exec(['pwd'], { cwd: '/tmp' })).stdout, '/tmp\n');
      const missing = await sb.exec(['pwd'], { cwd: 'nope' });
      assert.equal(missing.exitCode, 126);
      assert.match(missing.stderr, /nope/);
      assert.equal((await sb.exec(['cat', 'README.md'])).stdout, 'hello\n');
    });
  });

  it('builds the environment from the allowlist and drops secret-looking names', async () => {
    process.env.TRACEFIX_CONFORMANCE_SECRET = 'conformance-leak-1f3b';
    try {
      await withSandbox(target, { env: { RUN_LEVEL: 'repro', GITHUB_TOKEN: 'ghp_dropped' } }, async (sb) => {
        const r = await sb.exec(['env'], {
          env: { NODE_ENV: 'test', MY_FLAG: 'on', API_TOKEN: 'x-dropped', AWS_REGION: 'dropped', DB_PASSWORD: 'dropped' },
        });
        const env = Object.fromEntries(r.stdout.trim().split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
        assert.equal(env.NODE_ENV, 'test');
        assert.equal(env.MY_FLAG, 'on');
        assert.equal(env.RUN_LEVEL, 'repro');
        assert.equal(env.HOME, '/tmp');
        assert.equal(env.CI, 'true');
        for (const name of ['API_TOKEN', 'AWS_REGION', 'DB_PASSWORD', 'GITHUB_TOKEN', 'TRACEFIX_CONFORMANCE_SECRET']) {
          assert.equal(env[name], undefined, `${name} must not reach the sandbox`);
        }
        assert.doesNotMatch(r.stdout, /conformance-leak-1f3b|ghp_dropped|x-dropped/);
      });
    } finally {
      delete process.env.TRACEFIX_CONFORMANCE_SECRET;
    }
  });

  it('kills a command at its timeout and stays usable', async () => {
    await withSandbox(target, {}, async (sb) => {
      const started = Date.now();
      const r = await sb.exec(['sh', '-c', 'echo begun; while :; do :; done'], { timeoutMs: 800 });
      assert.equal(r.timedOut, true);
      assert.equal(r.exitCode, 137);
      assert.equal(r.stdout, 'begun\n');
      assert.ok(Date.now() - started < 8000, `took ${Date.now() - started} ms`);
      const after = await sb.exec(['sh', '-c', 'echo still here']);
      assert.equal(after.stdout, 'still here\n');
    });
  });

  it('leaves no process of an exec behind', async () => {
    await withSandbox(target, {}, async (sb) => {
      const started = Date.now();
      const r = await sb.exec(['sh', '-c', 'sleep 300 & echo spawned']);
      assert.equal(r.stdout, 'spawned\n');
      assert.ok(Date.now() - started < 2000, 'a background child must not hold the exec open');
      const ps = await sb.exec(['sh', '-c', 'for p in /proc/[0-9]*; do cat $p/cmdline 2>/dev/null | tr "\\0" " "; echo; done']);
      assert.doesNotMatch(ps.stdout, /sleep 300/);
    });
  });

  it('caps stdout and stderr at outputBytes each and keeps draining', async () => {
    await withSandbox(target, { limits: { outputBytes: 1000 } }, async (sb) => {
      const r = await sb.exec(['sh', '-c', 'head -c 300000 /dev/zero | tr "\\0" a; head -c 5000 /dev/zero | tr "\\0" b >&2; echo done >&2']);
      assert.equal(r.exitCode, 0, 'the writer must not block on a full pipe');
      assert.equal(r.stdout, 'a'.repeat(1000));
      assert.equal(r.stderr, 'b'.repeat(1000));
      assert.equal(r.truncated, true);
      const small = await sb.exec(['echo', 'fits'], { outputBytes: 10 });
      assert.equal(small.truncated, false);
      const big = await sb.exec(['sh', '-c', 'head -c 5000 /dev/zero | tr "\\0" c'], { outputBytes: 10_000 });
      assert.equal(big.stdout.length, 5000);
      assert.equal(big.truncated, false);
    });
  });

  it('reads, writes and diffs workspace files', async () => {
    await withSandbox(target, {}, async (sb) => {
      assert.equal(await sb.readFile('README.md'), 'hello\n');
      await sb.writeFile('src/index.js', 'export const answer = 43;\n');
      await sb.writeFile('test/new/answer.test.js', 'test\n');
      assert.equal((await sb.exec(['cat', 'test/new/answer.test.js'])).stdout, 'test\n');
      // The sandbox user can change what the host wrote, and create files of its own.
      const r = await sb.exec(['sh', '-c', 'echo more >> test/new/answer.test.js && echo made > made.txt && echo world >> README.md']);
      assert.equal(r.exitCode, 0, r.stderr);
      assert.equal(await sb.readFile('made.txt'), 'made\n');
      const diff = await sb.diff();
      assert.match(diff, /^diff --git a\/README.md b\/README.md$/m);
      assert.match(diff, /^\+world$/m);
      assert.match(diff, /^-export const answer = 42;$/m);
      assert.match(diff, /^\+export const answer = 43;$/m);
      assert.match(diff, /^\+\+\+ b\/test\/new\/answer.test.js$/m);
      assert.match(diff, /^\+\+\+ b\/made.txt$/m);
    });
  });

  it('refuses paths that leave the workspace or touch .git', async () => {
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'tracefix-outside-'));
    fs.writeFileSync(path.join(outside, 'secret.txt'), 'host-only\n');
    try {
      await withSandbox(target, {}, async (sb, ws) => {
        fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(ws, 'leak.txt'));
        fs.symlinkSync(outside, path.join(ws, 'outdir'));
        fs.symlinkSync('README.md', path.join(ws, 'inside-link.md'));
        const refused = [
          () => sb.readFile('../etc/passwd'),
          () => sb.readFile('/etc/passwd'),
          () => sb.readFile('src/../../x'),
          () => sb.readFile('.git/config'),
          () => sb.readFile('leak.txt'),
          () => sb.readFile('outdir/secret.txt'),
          () => sb.writeFile('../escape.txt', 'x'),
          () => sb.writeFile('/tmp/escape.txt', 'x'),
          () => sb.writeFile('.git/hooks/pre-commit', 'evil'),
          () => sb.writeFile('outdir/secret.txt', 'overwritten'),
          () => sb.writeFile('leak.txt', 'overwritten'),
          () => sb.writeFile('outdir/new.txt', 'x'),
        ];
        for (const attempt of refused) await assert.rejects(attempt, SandboxPathError);
        assert.equal(fs.readFileSync(path.join(outside, 'secret.txt'), 'utf8'), 'host-only\n');
        assert.deepEqual(fs.readdirSync(outside), ['secret.txt']);
        assert.equal(await sb.readFile('inside-link.md'), 'hello\n');
      });
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });

  it('destroys idempotently and refuses work afterwards', async () => {
    await withSandbox(target, {}, async (sb) => {
      await sb.destroy();
      await sb.destroy();
      await assert.rejects(() => sb.exec(['true']), /destroyed/);
      await assert.rejects(() => sb.readFile('README.md'), /destroyed/);
    });
  });
}
