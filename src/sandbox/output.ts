// Collects one output stream up to a byte cap. Past the cap it keeps accepting (the producer must
// be drained or it blocks on a full pipe) but stores nothing, and remembers that it cut.

export class CappedOutput {
  readonly #cap: number;
  readonly #chunks: Buffer[] = [];
  #size = 0;
  #truncated = false;

  constructor(cap: number) {
    this.#cap = cap;
  }

  push(chunk: Buffer): void {
    if (this.#size >= this.#cap) {
      if (chunk.length > 0) this.#truncated = true;
      return;
    }
    const room = this.#cap - this.#size;
    if (chunk.length > room) {
      this.#chunks.push(chunk.subarray(0, room));
      this.#size += room;
      this.#truncated = true;
    } else {
      this.#chunks.push(chunk);
      this.#size += chunk.length;
    }
  }

  get truncated(): boolean {
    return this.#truncated;
  }

  /** UTF-8 text; a character cut by the cap becomes U+FFFD. */
  text(): string {
    return Buffer.concat(this.#chunks, this.#size).toString('utf8');
  }
}
