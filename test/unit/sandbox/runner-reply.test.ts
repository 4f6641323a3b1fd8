// The host's reading of the docker sandbox runner's replies (src/sandbox/docker/runner-channel.ts):
// the runner is inside the sandbox, so a reply is parsed like untrusted input: bounded, exact.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseReply } from '../../../src/sandbox/docker/runner-channel.ts';
import { encodeField, encodeRun } from '../../../src/sandbox/docker/runner-script.ts';

const reply = (...fields: string[]) => Buffer.concat([Buffer.from('tfr1 '), ...fields.map((f) => encodeField(f))]);

describe('runner replies', () => {
  it('reads a command reply: id, exit code, truncated, stdout, stderr, and how many bytes it used', () => {
    const bytes = Buffer.concat([reply('abc', '3', '0', 'out\n', 'é\n'), Buffer.from('tfr1 ')]);
    const parsed = parseReply(bytes, 1024);
    assert.notEqual(typeof parsed, 'string');
    if (typeof parsed === 'string') return;
    assert.deepEqual(parsed.reply, { kind: 'run', id: 'abc', exitCode: 3, stdout: 'out\n', stderr: 'é\n', truncated: false });
    assert.equal(parsed.used, bytes.length - 5);
  });

  it('waits for the rest of a reply split anywhere', () => {
    const bytes = reply('id', '0', '1', 'x'.repeat(100), '');
    for (let cut = 0; cut < bytes.length; cut++) assert.equal(parseReply(bytes.subarray(0, cut), 1024), 'incomplete', `cut at ${cut}`);
    assert.equal(typeof parseReply(bytes, 1024), 'object');
  });

  it('reads the ping answers', () => {
    assert.deepEqual(parseReply(Buffer.from('tfr1 ready\n'), 0), { reply: { kind: 'ready' }, used: 11 });
    assert.deepEqual(parseReply(Buffer.from('tfr1 absent\n'), 0), { reply: { kind: 'absent' }, used: 12 });
    assert.equal(parseReply(Buffer.from('tfr1 rea'), 0), 'incomplete');
  });

  it('refuses what is no reply, and a field longer than the request allowed (no unbounded buffering)', () => {
    assert.equal(parseReply(Buffer.from('hello'), 1024), 'invalid');
    assert.equal(parseReply(Buffer.from('tfr1 x:'), 1024), 'invalid');
    assert.equal(parseReply(Buffer.from('tfr1 2:id1:01:0999999999:'), 1024), 'invalid');
    assert.equal(parseReply(Buffer.from('tfr1 2:id1:01:01'), 1024), 'incomplete');
    assert.equal(parseReply(Buffer.from('tfr1 2:id1:01:01234567890123'), 1024), 'invalid');
  });

  it('caps each output at the request cap again and says it cut', () => {
    const parsed = parseReply(reply('id', '0', '0', 'abcdef', 'ghijkl'), 4);
    assert.ok(typeof parsed !== 'string');
    assert.equal(parsed.reply.kind, 'run');
    if (parsed.reply.kind !== 'run') return;
    assert.deepEqual([parsed.reply.stdout, parsed.reply.stderr, parsed.reply.truncated], ['abcd', 'ghij', true]);
  });

  it('frames a request with byte lengths, so any argv and env survive (newlines, colons, UTF-8)', () => {
    const bytes = encodeRun({ id: 'r1', argv: ['sh', '-c', 'echo "a:b"\necho ü'], env: ['K=v=1'], outputBytes: 10, stdin: 'in' });
    assert.equal(bytes.toString('utf8'), '3:run2:r12:102:in1:11:15:K=v=11:32:sh2:-c18:echo "a:b"\necho ü');
  });
});
