// The docker sandbox's command runner (src/sandbox/docker/runner-script.ts): commands run as
// children of PID 1 instead of as `docker exec`s, the sandbox falls back to docker exec when the
// image cannot run the runner, survives a restart and a reply forged from inside, and reaps what
// its commands leave. The contract itself is the conformance suite, run over both transports.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createDockerDriver } from '../../../src/sandbox/docker/driver.ts';
import type { DockerSandbox } from '../../../src/sandbox/docker/sandbox.ts';
import type { Sandbox } from '../../../src/sandbox/types.ts';
import { docker, dockerAvailability, NODE_IMAGE, withSandbox } from './helpers.ts';

const availability = await dockerAvailability();

/** The parent of the exec wrapper: 1 when the runner started it, 0 for a `docker exec`. */
async function wrapperParent(sandbox: Sandbox): Promise<string> {
  const r = await sandbox.exec(['sh', '-c', 'cut -d" " -f4 /proc/$PPID/stat']);
  assert.equal(r.exitCode, 0, r.stderr);
  return r.stdout.trim();
}

const viaRunner = { kind: 'docker' as const, driver: () => createDockerDriver(), image: NODE_IMAGE };

describe('docker sandbox: the command runner', { skip: availability.skip ?? false, concurrency: 3 }, () => {
  const noPerlImage = `tracefix-test/no-perl:${randomUUID().slice(0, 8)}`;
  before(async () => {
    if (availability.problem) throw new Error(availability.problem);
    // The sandbox image without perl: what an image the runner cannot run in looks like.
    const c = await docker.createContainer({ Image: NODE_IMAGE, User: '0', Entrypoint: ['/bin/sh', '-c'], Cmd: ['rm -f "$(command -v perl)"'], HostConfig: { NetworkMode: 'none' } });
    try {
      await c.start();
      assert.equal((await c.wait()).StatusCode, 0);
      const [repo, tag] = noPerlImage.split(':') as [string, string];
      await c.commit({ repo, tag });
    } finally {
      await c.remove({ force: true });
    }
  });
  after(async () => {
    await docker.getImage(noPerlImage).remove({ force: true }).catch(() => undefined);
  });

  it('runs commands as children of PID 1, the runner; with runner: false, as docker execs', async () => {
    await withSandbox(viaRunner, {}, async (sb) => {
      assert.equal(await wrapperParent(sb), '1');
      assert.match((await sb.exec(['sh', '-c', "tr '\\0' ' ' < /proc/1/cmdline"])).stdout, /^perl -e /);
      // The same user as a docker exec would be, and nothing of the runner's in the command's env.
      assert.match((await sb.exec(['id', '-u'])).stdout, /^10001\n$/);
    });
    await withSandbox({ ...viaRunner, driver: () => createDockerDriver({ runner: false }) }, {}, async (sb) => {
      assert.equal(await wrapperParent(sb), '0');
    });
  });

  it('falls back to docker exec in an image without perl', async () => {
    await withSandbox({ ...viaRunner, image: noPerlImage }, {}, async (sb) => {
      assert.equal(await wrapperParent(sb), '0');
      const r = await sb.exec(['sh', '-c', 'echo out; echo err >&2; exit 4'], { stdin: 'x' });
      assert.deepEqual([r.exitCode, r.stdout, r.stderr], [4, 'out\n', 'err\n']);
    });
  });

  it('attaches again after the container restarts', async () => {
    await withSandbox(viaRunner, {}, async (sb) => {
      assert.equal(await wrapperParent(sb), '1');
      await docker.getContainer((sb as DockerSandbox).containerId).restart({ t: 0 });
      assert.equal((await sb.exec(['echo', 'back'])).stdout, 'back\n');
      assert.equal(await wrapperParent(sb), '1');
    });
  });

  it('does not take bytes written into the runner from inside for a reply', async () => {
    await withSandbox(viaRunner, {}, async (sb) => {
      // A well-formed reply with a made-up id, then one announcing an endless field: the host
      // neither hands them to a command nor waits for the field; the command still gets its own
      // result (run again as a docker exec after the container restarts).
      const forged = 'printf "tfr1 2:ab1:01:02:OK0:" > /proc/1/fd/1; printf "tfr1 999999999999:" > /proc/1/fd/1; echo mine';
      const r = await sb.exec(['sh', '-c', forged], { timeoutMs: 30_000 });
      assert.equal(r.stdout, 'mine\n');
      assert.equal(r.exitCode, 0);
      assert.equal((await sb.exec(['echo', 'next'])).stdout, 'next\n');
      assert.equal(await wrapperParent(sb), '1');
    });
  });

  it('reaps what the commands left behind (no zombies under PID 1)', async () => {
    await withSandbox(viaRunner, {}, async (sb) => {
      for (let i = 0; i < 3; i++) await sb.exec(['sh', '-c', '(sleep 30 &); (sleep 30 &); sleep 30 & echo started']);
      // The runner reaps between requests, at least once a second.
      await new Promise((r) => setTimeout(r, 1500));
      const r = await sb.exec(['sh', '-c', 'for f in /proc/[0-9]*/stat; do cut -d" " -f3 "$f"; done 2>/dev/null | grep -c Z || true']);
      assert.equal(r.stdout.trim(), '0');
    });
  });
});
