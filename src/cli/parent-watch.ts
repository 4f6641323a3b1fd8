// `npm start` (or any wrapper) under a process manager: the manager stops the wrapper with SIGTERM,
// and not every wrapper passes the signal on, so `node … serve` stayed up holding the port. A
// process whose parent exits is re-parented (to init or a subreaper), so a changed parent pid means
// whoever started us is gone, and we stop as if signalled. PID 1 in a container has parent 0,
// which never changes; under systemd the parent is 1 from the start.
export interface ParentWatch {
  stop(): void;
}

export function watchParent(onGone: () => void, intervalMs = 1000): ParentWatch {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid !== parent) {
      clearInterval(timer);
      onGone();
    }
  }, intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
