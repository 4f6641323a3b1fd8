// Scripted models for the agent tests: each is a function of the request the fake endpoint
// received (the conversation so far), so a script reacts to the tool results it gets back.
import type { ChatRequest, Script, ScriptedReply } from '../../helpers/fake-openai.ts';
import { lastResults, turnOf } from '../../helpers/fake-openai.ts';
import { CART_FIX, ROOT_CAUSE } from './helpers.ts';

export type Step = ScriptedReply | ((request: ChatRequest) => ScriptedReply);

export const call = (name: string, args: string | Record<string, unknown>): ScriptedReply => ({ toolCalls: [{ name, arguments: args }] });

/** Step n answers the model's n-th reply of the conversation; past the end, an error the test sees. */
export function sequence(steps: readonly Step[]): Script {
  return (request) => {
    const step = steps[turnOf(request)];
    if (!step) return { error: { status: 400, message: `scripted model: no step ${turnOf(request)}` } };
    return typeof step === 'function' ? step(request) : step;
  };
}

/** The three steps of a fix: read the crash site, guard the missing coupon, submit. */
export const FIX_STEPS: readonly Step[] = [
  { content: 'Reading the crash site.', ...call('read_file', { path: 'src/cart.js' }) },
  call('edit', CART_FIX),
  call('submit', { summary: 'Return the total unchanged when the coupon code is unknown', root_cause: ROOT_CAUSE }),
];

export function fixInThreeSteps(): Script {
  return sequence(FIX_STEPS);
}

/** Invalid arguments of every kind first, then the fix: none of it may crash the run. */
export function invalidArguments(): Script {
  return sequence([
    call('read_file', { path: 42 }),
    call('edit', '{"path": "src/cart.js", "old_text": '),
    call('delete_file', { path: 'test/cart.test.js' }),
    call('edit', { path: 'src/cart.js', old_text: 'coupon.rate' }),
    call('edit', { path: 'src/cart.js', old_text: 'does not exist anywhere', new_text: 'x' }),
    call('edit', { path: 'src/cart.js', old_text: 'total', new_text: 'sum' }),
    call('run_tests', { scope: 'everything' }),
    ...FIX_STEPS,
  ]);
}

/** Tries every forbidden write and read, then gives up (two replies without a tool call). */
export function forbiddenEdits(reproTestFile: string): Script {
  return sequence([
    call('edit', { path: '.github/workflows/ci.yml', old_text: 'npm test', new_text: 'true' }),
    call('write_test', { path: 'test/cart.test.js', content: '// tests removed\n' }),
    call('edit', { path: 'test/cart.test.js', old_text: "'use strict';", new_text: "'use strict'; process.exit(0);" }),
    call('edit', { path: reproTestFile, old_text: "'use strict';", new_text: "'use strict'; return;" }),
    call('write_test', { path: 'src/evil.js', content: 'module.exports = 1;\n' }),
    call('read_file', { path: '../../../etc/passwd' }),
    call('read_file', { path: '.git/config' }),
    call('edit', { path: 'package.json', old_text: '"name"', new_text: '"name"' }),
    call('submit', { summary: 'nothing', root_cause: 'nothing' }),
    { content: 'I cannot continue.' },
    { content: 'Still stuck.' },
  ]);
}

/** Reads the same file forever. */
export function sameReadForever(): Script {
  return () => call('read_file', { path: 'src/cart.js' });
}

/** Reads a different line range every turn and never edits. */
export function wanderForever(): Script {
  return (request) => call('read_file', { path: 'src/cart.js', start_line: (turnOf(request) % 20) + 1 });
}

/** Edits the file and edits it back, forever. */
export function editBackAndForth(): Script {
  return (request) =>
    turnOf(request) % 2 === 0
      ? call('edit', CART_FIX)
      : call('edit', { path: CART_FIX.path, old_text: CART_FIX.new_text, new_text: CART_FIX.old_text });
}

/** Attempt 1 (seed 1) loops; attempt 2 (seed 2) fixes the bug. */
export function stuckThenFix(): Script {
  const fix = sequence(FIX_STEPS);
  const loop = sameReadForever();
  return (request, index) => (request.seed === 1 ? loop(request, index) : fix(request, index));
}

/** A reply of `chars` characters of prose (no tool call), then the fix. */
export function hugeReplyThenFix(chars: number): Script {
  return (request, index) => {
    const turn = turnOf(request);
    if (turn === 0) return { content: 'All work and no play makes Jack a dull boy. '.repeat(Math.ceil(chars / 44)) };
    return sequence([{}, ...FIX_STEPS])(request, index);
  };
}

/** Asks for huge tool outputs (a big file, a search matching everything), then fixes. */
export function hugeToolOutputs(bigFile: string): Script {
  return sequence([
    call('read_file', { path: bigFile }),
    call('search', { pattern: '.' }),
    call('list_dir', { path: '.' }),
    ...FIX_STEPS,
  ]);
}

/** A first reply whose reported usage blows the cost cap (an endpoint ignoring the output cap),
 * carrying an edit that must never be applied. */
export function overspendOnOneCall(completionTokens: number): Script {
  return sequence([{ ...call('edit', CART_FIX), usage: { prompt_tokens: 1200, completion_tokens: completionTokens } }]);
}

/** The results the model got back for its last reply (for assertions on the conversation). */
export { lastResults };
