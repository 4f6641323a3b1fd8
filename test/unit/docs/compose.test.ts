// docker-compose.yml cannot be run here (no image registry), so it is kept valid: the compose
// tool's own check where one is installed, and the services it promises in any case.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const file = fileURLToPath(new URL('../../../docker-compose.yml', import.meta.url));

function composeCommand(): string[] | undefined {
  for (const cmd of [['docker', 'compose'], ['docker-compose']]) {
    if (spawnSync(cmd[0]!, [...cmd.slice(1), 'version'], { stdio: 'ignore' }).status === 0) return cmd;
  }
  return undefined;
}

test('docker-compose.yml has postgres, redis, serve and worker wired together', () => {
  const compose = parse(readFileSync(file, 'utf8'), { merge: true }) as {
    services: Record<string, { command?: string[]; environment?: Record<string, string>; volumes?: string[] }>;
  };
  for (const name of ['postgres', 'redis', 'serve', 'worker']) assert.ok(compose.services[name], `service ${name}`);
  assert.deepEqual(compose.services.serve!.command, ['node', 'src/cli/main.ts', 'serve']);
  assert.deepEqual(compose.services.worker!.command, ['node', 'src/cli/main.ts', 'worker']);
  assert.match(compose.services.worker!.environment!.DATABASE_URL!, /^postgres:\/\/.*@postgres:5432\//);
  assert.equal(compose.services.serve!.environment!.TRACEFIX_WORKERS, 'off');
  assert.ok(compose.services.worker!.volumes!.some((v) => v.startsWith('/var/run/docker.sock:')), 'the worker reaches the Docker engine');
});

test('docker-compose.yml runs the built image and hands sandboxes the data directory at the same path', () => {
  const compose = parse(readFileSync(file, 'utf8'), { merge: true }) as {
    services: Record<string, { build?: { context: string }; image?: string; volumes?: string[]; restart?: string; depends_on?: Record<string, { condition: string }> }>;
  };
  for (const name of ['serve', 'worker', 'setup', 'sandbox-images']) {
    assert.equal(compose.services[name]!.build?.context, '.', `${name} builds the repository's Dockerfile`);
  }
  // The engine resolves bind-mount sources on its host: the data directory is host path = container path.
  const dataMount = compose.services.worker!.volumes!.find((v) => v.includes('TRACEFIX_DATA_DIR'))!;
  const [source, target] = dataMount.split(/:(?=\$)/);
  assert.equal(source, target, dataMount);
  assert.equal(compose.services.worker!.depends_on!['sandbox-images']!.condition, 'service_completed_successfully');
  assert.equal(compose.services['sandbox-images']!.restart, 'no');
  assert.equal(compose.services.serve!.restart, 'unless-stopped');
});

test('the compose tool accepts the file', { skip: !composeCommand() && 'no docker compose / docker-compose installed' }, () => {
  const [cmd, ...args] = composeCommand()!;
  execFileSync(cmd!, [...args, '-f', file, 'config', '-q'], { stdio: 'pipe' });
});
