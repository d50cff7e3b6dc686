/**
 * Wall time and peak memory of a process tree. Memory is the sum of PSS (proportional set size, from
 * /proc/<pid>/smaps_rollup) over a process and all its descendants, sampled every 250 ms — the only fair
 * number for Chromium, whose many processes share pages (max RSS of one process under-reports 2.5–4×).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';

/** A /proc file, or undefined when its process exited while we looked (nothing left to count). */
function readProc(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ESRCH') return undefined;
    throw err;
  }
}

function children(): Map<number, number[]> {
  const kids = new Map<number, number[]>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readProc(`/proc/${entry}/stat`);
    if (stat === undefined) continue;
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    const list = kids.get(ppid) ?? [];
    list.push(Number(entry));
    kids.set(ppid, list);
  }
  return kids;
}

function pssKb(pid: number): number {
  const m = /^Pss:\s+(\d+) kB/m.exec(readProc(`/proc/${pid}/smaps_rollup`) ?? '');
  return m ? Number(m[1]) : 0;
}

/** PSS of `root` and every descendant, in MiB. */
export function treePssMiB(root: number): number {
  const kids = children();
  let total = 0;
  const stack = [root];
  while (stack.length > 0) {
    const pid = stack.pop() as number;
    total += pssKb(pid);
    stack.push(...(kids.get(pid) ?? []));
  }
  return total / 1024;
}

/** Samples the tree under `root` until stopped; returns the peak. */
export function memorySampler(root: number): { stop(): number } {
  let peak = treePssMiB(root);
  const timer = setInterval(() => {
    peak = Math.max(peak, treePssMiB(root));
  }, 250);
  return {
    stop() {
      clearInterval(timer);
      return peak;
    },
  };
}

export interface RunResult {
  ms: number;
  peakMiB: number;
  code: number | null;
  stderr: string;
}

export async function runMeasured(
  cmd: string,
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; onStdout?: (chunk: string) => void } = {},
): Promise<RunResult> {
  const started = performance.now();
  const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (d: Buffer) => opts.onStdout?.(String(d)));
  const sampler = memorySampler(child.pid ?? 0);
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += String(d)));
  const code = await new Promise<number | null>((r) => child.once('exit', r));
  return { ms: performance.now() - started, peakMiB: sampler.stop(), code, stderr };
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}
