// CPU steal: the share of this virtual machine's CPU time that the hypervisor gave to other guests.
// On a shared host it comes and goes, and while it is high every process here is paused now and
// then for milliseconds at a time: throughput drops and latency tails grow whatever the code does.
// Benchmarks report it next to their runs so that such a run can be recognised (Linux only).
import { readFileSync } from 'node:fs';

/** Summed jiffies of the aggregate `cpu` line of /proc/stat: all of them and the stolen ones. */
function readCpuLine(): { total: number; steal: number } | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
    // cpu  user nice system idle iowait irq softirq steal guest guest_nice (guest time is inside user)
    const fields = line.trim().split(/\s+/).slice(1, 9).map(Number);
    if (fields.length < 8 || fields.some((n) => !Number.isFinite(n))) return undefined;
    return { total: fields.reduce((a, b) => a + b, 0), steal: fields[7] as number };
  } catch {
    return undefined;
  }
}

/** Starts measuring; the returned function gives the stolen share since then (0..1), or undefined
 * where /proc/stat cannot be read. */
export function stealMeter(): () => number | undefined {
  const start = readCpuLine();
  return () => {
    const end = readCpuLine();
    if (!start || !end || end.total <= start.total) return undefined;
    return (end.steal - start.steal) / (end.total - start.total);
  };
}

/** "; host steal 12%" for a row's detail, or '' when it could not be measured. */
export function stealDetail(share: number | undefined): string {
  return share === undefined ? '' : `; host CPU steal ${(share * 100).toFixed(0)}%`;
}
