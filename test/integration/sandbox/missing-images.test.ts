// `npm start` on a fresh machine says when the sandbox images are missing, with the command that
// builds them; against the real Docker engine here (an image that exists, one that cannot).
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import Docker from 'dockerode';
import { pino } from 'pino';
import { loadConfig } from '../../../src/config.ts';
import { missingSandboxImages, warnAboutSandboxImages } from '../../../src/sandbox/missing-images.ts';

const docker = new Docker();
const dockerDown = await docker.ping().then(() => false, () => 'no Docker engine');

function capture() {
  let raw = '';
  const log = pino({ level: 'info' }, new Writable({ write: (c, _e, done) => { raw += c.toString(); done(); } }));
  return { log, lines: () => raw.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>) };
}

test('missing sandbox images are named, with the command to build them; present ones are not', { skip: dockerDown }, async () => {
  const present = (await docker.listImages()).flatMap((i) => i.RepoTags ?? []).find((tag) => tag !== '<none>:<none>');
  assert.ok(present, 'the engine has at least one tagged image');
  const absent = `tracefix/sandbox-node:missing-${process.pid}`;
  assert.deepEqual(await missingSandboxImages(docker, [present, absent]), [absent]);

  const { log, lines } = capture();
  const config = loadConfig({ TRACEFIX_SANDBOX_DRIVER: 'docker' });
  assert.deepEqual(await warnAboutSandboxImages(config, log, docker, [present, absent]), [absent]);
  const [line] = lines();
  assert.equal(line?.msg, 'Sandbox images are missing; repairs will fail until you run: npx tracefix images build');
  assert.deepEqual(line?.missing, [absent]);

  const quiet = capture();
  await warnAboutSandboxImages(config, quiet.log, docker, [present]);
  assert.deepEqual(quiet.lines(), [], 'nothing said when every image is there');
  await warnAboutSandboxImages(loadConfig({ TRACEFIX_SANDBOX_DRIVER: 'local' }), quiet.log, docker, [absent]);
  assert.deepEqual(quiet.lines(), [], 'nothing said for the local driver');
});

test('an unreachable Docker engine is one line naming DOCKER_HOST', async () => {
  const { log, lines } = capture();
  const nowhere = new Docker({ socketPath: `/tmp/tracefix-no-docker-${process.pid}.sock` });
  await warnAboutSandboxImages(loadConfig({}), log, nowhere, ['tracefix/sandbox-node:x']);
  const [line] = lines();
  assert.match(String(line?.msg), /Docker is unreachable; repairs need it \(set DOCKER_HOST, or TRACEFIX_SANDBOX_DRIVER=local\)/);
  assert.equal(line?.variable, 'DOCKER_HOST');
});
