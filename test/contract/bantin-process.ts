/**
 * The `bantin` command as an outside user runs it: `node bin/bantin.mjs …` in its own process, with only
 * the environment it is given. The contract suite uses this (never runCli or createApp), so it sees exactly
 * what DESIGN.md promises: exit codes, stdout, stderr, files on disk.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));

export interface BantinRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function bantin(args: string[], opts: { env?: Record<string, string>; cwd?: string; stdin?: string } = {}): Promise<BantinRun> {
  const child = spawn(process.execPath, [`${REPO}bin/bantin.mjs`, ...args], { cwd: opts.cwd ?? REPO, env: { ...process.env, ...opts.env }, stdio: ['pipe', 'pipe', 'pipe'] });
  child.stdin.end(opts.stdin ?? '');
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (c: Buffer) => out.push(c));
  child.stderr.on('data', (c: Buffer) => err.push(c));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
  });
}
