// Token counting with a real BPE tokenizer (gpt-tokenizer). Encodings load lazily: each is a few
// MB of merge ranks and most processes need one. Special-token text (`<|endoftext|>`) in
// telemetry is counted as plain text, never rejected: it is data, not a control sequence.
import type { TokenizerName } from './options.ts';

export type CountTokens = (text: string) => number;

const loaded = new Map<TokenizerName, Promise<CountTokens>>();
const PLAIN = { disallowedSpecial: new Set<string>() };

export function loadTokenizer(name: TokenizerName): Promise<CountTokens> {
  let counter = loaded.get(name);
  if (!counter) {
    counter = (name === 'cl100k_base' ? import('gpt-tokenizer/encoding/cl100k_base') : import('gpt-tokenizer/encoding/o200k_base')).then(
      (mod) => (text: string) => mod.countTokens(text, PLAIN),
    );
    loaded.set(name, counter);
  }
  return counter;
}
