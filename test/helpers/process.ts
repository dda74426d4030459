import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';

/** A child process started from the repository root, with its output collected. */
export interface Started {
  child: ChildProcess;
  output: () => string;
  /** Resolves with the first output match of `pattern`, or rejects after `timeoutMs`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Resolves with the exit code (or signal name). */
  exited: Promise<number | string>;
}

/**
 * Starts `node --import tsx <script>` with exactly `env` plus PATH/HOME, so variables of the machine
 * running the tests (e.g. AZURE_*) never change what is tested.
 */
export function startScript(script: string, env: Record<string, string>): Started {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: new URL('../..', import.meta.url),
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  const listeners = new Set<() => void>();
  const append = (chunk: Buffer) => {
    text += chunk.toString();
    for (const listener of listeners) listener();
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const exited = once(child, 'exit').then(([code, signal]) => (code ?? signal) as number | string);
  function waitFor(pattern: RegExp, timeoutMs = 15_000): Promise<RegExpMatchArray> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const match = text.match(pattern);
        if (!match) return;
        listeners.delete(check);
        clearTimeout(timer);
        resolve(match);
      };
      const timer = setTimeout(() => {
        listeners.delete(check);
        reject(new Error(`timed out waiting for ${pattern}; output so far:\n${text}`));
      }, timeoutMs);
      listeners.add(check);
      check();
    });
  }
  return { child, output: () => text, waitFor, exited };
}
