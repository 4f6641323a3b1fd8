// Stuck detection: a model that repeats itself, or never changes anything, will not get better
// by spending more of the budget. Two signals, checked after every turn:
//   - the same action with the same observation three turns in a row (or an A, B, A, B, A, B
//     cycle), where an action is the turn's tool calls with their arguments and the observation
//     is what came back;
//   - no progress (an edit, a new test, a submission) in K turns.
import { createHash } from 'node:crypto';

export interface TurnRecord {
  /** The turn's tool calls with their arguments (or the reply text when it called none). */
  action: string;
  /** What the turn's tool calls returned. */
  observation: string;
  /** The turn changed something: an edit landed, a test was written, a patch was submitted. */
  progress: boolean;
  /** How the action reads in a stop reason (default: the action). */
  label?: string;
}

export interface StuckOptions {
  /** Turns without progress before the attempt is stuck. */
  stuckTurns: number;
  /** Identical turns in a row before the attempt is stuck. @defaultValue 3 */
  repeats?: number;
}

const digest = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 16);

export class StuckDetector {
  private readonly stuckTurns: number;
  private readonly repeats: number;
  private readonly history: { key: string; label: string }[] = [];
  private sinceProgress = 0;

  constructor(options: StuckOptions) {
    this.stuckTurns = options.stuckTurns;
    this.repeats = Math.max(2, options.repeats ?? 3);
  }

  /** Records a turn; returns the reason when the attempt is stuck. */
  record(turn: TurnRecord): string | undefined {
    const text = turn.label ?? turn.action;
    const label = text.length > 120 ? `${text.slice(0, 117)}...` : text;
    this.history.push({ key: `${digest(turn.action)}:${digest(turn.observation)}`, label });
    this.sinceProgress = turn.progress ? 0 : this.sinceProgress + 1;

    const h = this.history;
    const n = h.length;
    if (n >= this.repeats && h.slice(n - this.repeats).every((x) => x.key === h[n - 1]!.key)) {
      return `stuck: the same action and observation ${this.repeats} times in a row (${label})`;
    }
    // A two-step cycle (edit there, edit back) repeated as often.
    const span = this.repeats * 2;
    if (n >= span && h[n - 1]!.key !== h[n - 2]!.key) {
      const tail = h.slice(n - span);
      if (tail.every((x, i) => x.key === tail[i % 2]!.key)) {
        return `stuck: the same two actions alternating ${this.repeats} times (${tail[0]!.label} / ${tail[1]!.label})`;
      }
    }
    if (this.sinceProgress >= this.stuckTurns) return `stuck: no edit in ${this.stuckTurns} turns`;
    return undefined;
  }
}
