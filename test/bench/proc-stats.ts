import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

/**
 * What the kernel knows about another process, read from /proc so that the gateway runs exactly
 * as shipped (no hooks in its code). Every reader returns undefined where /proc is missing (macOS):
 * the report then says n/a instead of failing.
 */

const ticksPerSecond = (() => {
  try {
    const value = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    return Number.isFinite(value) && value > 0 ? value : 100;
  } catch {
    return 100;
  }
})();

/** User plus system CPU time the process has used so far, in ms (resolution 1/CLK_TCK s). */
export function readCpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: count from the last `)`.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    if (!Number.isFinite(utime) || !Number.isFinite(stime)) return undefined;
    return ((utime + stime) * 1000) / ticksPerSecond;
  } catch {
    return undefined;
  }
}

/**
 * CPU used by this process's children that have exited and been waited for, in ms: the kernel's
 * exit accounting (what `time` reports for a command), /proc/self/stat's cutime and cstime.
 */
export function readChildrenCpuMs(): number | undefined {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cutime = Number(fields[13]);
    const cstime = Number(fields[14]);
    if (!Number.isFinite(cutime) || !Number.isFinite(cstime)) return undefined;
    return ((cutime + cstime) * 1000) / ticksPerSecond;
  } catch {
    return undefined;
  }
}

export interface MemorySample {
  /** Resident set size now, in bytes. */
  readonly rss: number;
  /** Peak resident set size since start or since the last `resetPeakRss`, in bytes. */
  readonly hwm: number;
}

export function readMemory(pid: number): MemorySample | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name: string) =>
      Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]);
    const rss = kb('VmRSS');
    const hwm = kb('VmHWM');
    if (!Number.isFinite(rss) || !Number.isFinite(hwm)) return undefined;
    return { rss: rss * 1024, hwm: hwm * 1024 };
  } catch {
    return undefined;
  }
}

/**
 * Lets VmHWM describe one scenario rather than the whole life of the process (Linux 4.0+, writing
 * 5 to clear_refs). When refused, the poller's own maximum still bounds the peak from below.
 */
export function resetPeakRss(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/** Samples VmRSS often enough to catch a peak even where VmHWM cannot be reset. */
export class RssPoller {
  private max = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly pid: number,
    intervalMs = 100,
  ) {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
  }

  private sample(): void {
    const memory = readMemory(this.pid);
    if (memory && memory.rss > this.max) this.max = memory.rss;
  }

  /** The peak in bytes: the larger of the kernel's high-water mark and the polled maximum. */
  stop(): number | undefined {
    clearInterval(this.timer);
    this.sample();
    const memory = readMemory(this.pid);
    const peak = Math.max(this.max, memory?.hwm ?? 0);
    return peak > 0 ? peak : undefined;
  }
}
