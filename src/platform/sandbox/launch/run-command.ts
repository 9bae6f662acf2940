/** Runs a system command with optional stdin; rejects with its stderr. A thin I/O shell. */
import { spawn } from 'node:child_process';

/** The command failed: `stderr` says why. */
export class CommandError extends Error {
  constructor(
    readonly command: string,
    readonly stderr: string,
    readonly code: number | null,
  ) {
    super(`${command} failed${code === null ? '' : ` (exit ${code})`}: ${stderr.trim() || 'no output'}`);
  }
}

/** Runs `file args` with `input` on stdin; resolves with stdout. */
export function runCommand(file: string, args: readonly string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', (error) =>
      reject(new CommandError(`${file} ${args.join(' ')}`, error.message, null)),
    );
    child.once('close', (code) => {
      if (code === 0) resolve(stdout);
      else reject(new CommandError(`${file} ${args.join(' ')}`, stderr, code));
    });
    if (input !== undefined) child.stdin?.end(input);
  });
}
