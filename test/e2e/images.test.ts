import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { sandboxImage } from '../../src/sandbox/images.ts';
import { runCli } from '../helpers/cli.ts';
import { sandboxImagesUnavailable } from '../helpers/sandbox-probes.ts';

// Only the engine matters here (the command builds the images); [] asks for no image.
const noDocker = await sandboxImagesUnavailable([]);

test('tracefix images build reuses current images and names them', { skip: !process.env.CI && noDocker }, async () => {
  const { code, output } = await runCli(['images', 'build'], {}, 600_000);
  assert.equal(code, 0, output);
  assert.ok(output.includes(sandboxImage('node')) && output.includes(sandboxImage('python')), output);
  const labels = execFileSync('docker', ['image', 'inspect', '--format', '{{json .Config.Labels}}', sandboxImage('node')]).toString();
  assert.match(labels, /node@24\./, 'the image is labelled with its runtime version');
  const user = execFileSync('docker', ['image', 'inspect', '--format', '{{.Config.User}}', sandboxImage('node')]).toString().trim();
  assert.ok(user !== '' && user !== 'root' && user !== '0', `runs as a non-root user, not '${user}'`);
});

test('tracefix images without "build" prints its usage and exits 2', async () => {
  const { code, output } = await runCli(['images'], {});
  assert.equal(code, 2);
  assert.match(output, /tracefix images build/);
});
