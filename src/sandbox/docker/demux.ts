// Docker's multiplexed exec stream (Tty false): frames of an 8-byte header (stream type, 3 zero
// bytes, big-endian payload length) and the payload. Type 1 is stdout, 2 stderr.

export type StreamSink = (stream: 'stdout' | 'stderr', payload: Buffer) => void;

export class DockerDemuxer {
  readonly #sink: StreamSink;
  #pending: Buffer = Buffer.alloc(0);

  constructor(sink: StreamSink) {
    this.#sink = sink;
  }

  push(chunk: Buffer): void {
    let buffer = this.#pending.length > 0 ? Buffer.concat([this.#pending, chunk]) : chunk;
    while (buffer.length >= 8) {
      const type = buffer[0];
      const size = buffer.readUInt32BE(4);
      if (buffer.length < 8 + size) break;
      const payload = buffer.subarray(8, 8 + size);
      if (type === 1) this.#sink('stdout', payload);
      else if (type === 2) this.#sink('stderr', payload);
      buffer = buffer.subarray(8 + size);
    }
    // Copy the remainder so the (possibly large) chunk it came from can be freed.
    this.#pending = buffer.length > 0 ? Buffer.from(buffer) : Buffer.alloc(0);
  }
}
