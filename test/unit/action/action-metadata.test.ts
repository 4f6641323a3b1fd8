// The composite action and `tracefix action` must agree: every input action.yml declares reaches
// the step as the INPUT_<NAME> variable the CLI reads, nothing undeclared is passed, and the last
// step runs `tracefix action`. The project's own workflow uses the action on a fixture.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { ACTION_INPUTS, inputVariable } from '../../../schemas/action.ts';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const load = async (file: string) => parse(await readFile(path.join(ROOT, file), 'utf8')) as Record<string, any>;

test('action.yml declares exactly the inputs tracefix action reads, and passes each one', async () => {
  const action = await load('.github/actions/tracefix/action.yml');
  assert.equal(action.runs.using, 'composite');
  const declared: string[] = Object.keys(action.inputs).sort();
  assert.deepEqual(declared.slice(), [...ACTION_INPUTS].sort());

  const step = action.runs.steps.find((s: { id?: string }) => s.id === 'tracefix');
  assert.ok(step, 'a step with id tracefix');
  assert.match(step.run, /src\/cli\/main\.ts" action$/, 'the step runs tracefix action');
  const passed = Object.entries(step.env as Record<string, string>);
  for (const [variable, value] of passed) {
    const m = /^\$\{\{ inputs\.([\w-]+) \}\}$/.exec(value);
    assert.ok(m, `${variable} is set from an input`);
    assert.ok(declared.includes(m[1]!), `${variable} passes the undeclared input ${m[1]}`);
    assert.equal(variable, inputVariable(m[1]!), `${m[1]} travels in the variable a runner would use`);
  }
  assert.deepEqual(passed.map(([, v]) => /inputs\.([\w-]+)/.exec(v)![1]).sort(), declared, 'every declared input is used');
  // Expressions elsewhere in the action may read only declared inputs.
  const used = [...JSON.stringify(action.runs).matchAll(/inputs\.([\w-]+)/g)].map((m) => m[1]!);
  for (const name of used) assert.ok(declared.includes(name), `inputs.${name} is declared`);
});

test('action.yml outputs are the step outputs tracefix action writes', async () => {
  const action = await load('.github/actions/tracefix/action.yml');
  assert.deepEqual(Object.keys(action.outputs).sort(), ['incident', 'patch', 'pr-url', 'status']);
  for (const [name, output] of Object.entries(action.outputs as Record<string, { value: string }>)) {
    assert.equal(output.value, `\${{ steps.tracefix.outputs.${name} }}`);
  }
  const setup = action.runs.steps.find((s: { uses?: string }) => s.uses?.startsWith('actions/setup-node@'));
  assert.equal(String(setup.with['node-version']), '24');
});

test('the project workflow runs the local action on a fixture with a failing test', async () => {
  const workflow = await load('.github/workflows/ci.yml');
  const job = workflow.jobs['action'];
  assert.ok(job, 'a job named action');
  const uses = job.steps.find((s: { uses?: string }) => s.uses === './.github/actions/tracefix');
  assert.ok(uses, 'a step uses ./.github/actions/tracefix');
  assert.ok(uses.with['test-command'], 'the step gives a test command');
  const declared = Object.keys((await load('.github/actions/tracefix/action.yml')).inputs);
  for (const key of Object.keys(uses.with)) assert.ok(declared.includes(key), `with.${key} is an input of the action`);
  assert.ok(job.steps.some((s: { run?: string }) => /steps\.fix\.outputs\.status/.test(s.run ?? '') || /outputs\.status/.test(JSON.stringify(s))), 'the job checks the status output');
});
