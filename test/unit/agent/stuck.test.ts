// Stuck detection: the same action and observation repeated, a two-step cycle, no progress in K turns.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StuckDetector } from '../../../src/agent/stuck.ts';

const turn = (action: string, observation = 'same', progress = false) => ({ action, observation, progress });

describe('StuckDetector', () => {
  it('stops on the third identical action and observation', () => {
    const d = new StuckDetector({ stuckTurns: 100 });
    assert.equal(d.record(turn('read a')), undefined);
    assert.equal(d.record(turn('read a')), undefined);
    assert.equal(d.record(turn('read a')), 'stuck: the same action and observation 3 times in a row (read a)');
  });

  it('does not count an action whose observation changed (the world moved)', () => {
    const d = new StuckDetector({ stuckTurns: 100 });
    d.record(turn('run tests', 'fail'));
    d.record(turn('run tests', 'fail'));
    assert.equal(d.record(turn('run tests', 'pass')), undefined);
  });

  it('stops on an A, B, A, B, A, B cycle even when each step is progress', () => {
    const d = new StuckDetector({ stuckTurns: 100 });
    const results = ['a', 'b', 'a', 'b', 'a', 'b'].map((a) => d.record(turn(`edit ${a}`, a, true)));
    assert.deepEqual(results.slice(0, 5), [undefined, undefined, undefined, undefined, undefined]);
    assert.equal(results[5], 'stuck: the same two actions alternating 3 times (edit a / edit b)');
  });

  it('stops after K turns without progress; progress resets the count', () => {
    const d = new StuckDetector({ stuckTurns: 3 });
    assert.equal(d.record(turn('read 1', '1')), undefined);
    assert.equal(d.record(turn('read 2', '2')), undefined);
    assert.equal(d.record(turn('edit', 'ok', true)), undefined);
    assert.equal(d.record(turn('read 3', '3')), undefined);
    assert.equal(d.record(turn('read 4', '4')), undefined);
    assert.equal(d.record(turn('read 5', '5')), 'stuck: no edit in 3 turns');
  });

  it('shows a readable label, cut when long', () => {
    const d = new StuckDetector({ stuckTurns: 100, repeats: 2 });
    d.record({ ...turn('x'), label: 'y'.repeat(300) });
    const reason = d.record({ ...turn('x'), label: 'y'.repeat(300) });
    assert.equal(reason, `stuck: the same action and observation 2 times in a row (${'y'.repeat(117)}...)`);
  });
});
