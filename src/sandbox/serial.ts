// Runs async tasks one at a time. A sandbox serializes exec, readFile, writeFile and diff: no
// sandboxed process runs while the host touches the workspace, which is what makes the host-side
// path checks race-free (a process inside could otherwise swap a checked path for a symlink).

export class Serial {
  #tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(task, task);
    this.#tail = result.catch(() => undefined);
    return result;
  }
}
