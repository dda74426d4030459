import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, Socket } from 'node:net';

/** A throwaway redis-server on a loopback port, owned by the test file that started it. */
export interface TestRedis {
  /** `redis://127.0.0.1:<port>` */
  url: string;
  port: number;
  /** Sends one command (inline protocol) and returns the raw reply, e.g. `FLUSHALL` → `+OK`. */
  command(line: string): Promise<string>;
  /** Stops the server (SIGTERM to the process this helper started) and waits for it to exit. */
  stop(): Promise<void>;
}

const BINARY = process.env.REDIS_SERVER_BIN ?? '/usr/bin/redis-server';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== 'object' || !address) throw new Error('no free port');
  return address.port;
}

function send(port: number, line: string, timeoutMs = 1000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    let reply = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`redis ${line}: no reply in ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (!reply.endsWith('\r\n')) return;
      clearTimeout(timer);
      socket.end();
      resolve(reply.trim());
    });
    socket.connect(port, '127.0.0.1', () => socket.write(`${line}\r\n`));
  });
}

async function waitForPong(port: number, child: ChildProcess, output: () => string): Promise<void> {
  const until = Date.now() + 10_000;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`redis-server exited: ${output()}`);
    if ((await send(port, 'PING', 300).catch(() => '')) === '+PONG') return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`redis-server did not answer PING on ${port}: ${output()}`);
}

/**
 * Starts `redis-server` on a free 127.0.0.1 port without persistence (`--save '' --appendonly no`)
 * and waits for PONG. Start one per test file (beforeAll) and stop it in afterAll.
 */
export async function startRedis(): Promise<TestRedis> {
  if (!existsSync(BINARY))
    throw new Error(`${BINARY} not found: install it with apt-get install -y redis-server (npm test does)`);
  for (let attempt = 0; ; attempt += 1) {
    const port = await freePort();
    const child = spawn(
      BINARY,
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let text = '';
    const append = (chunk: Buffer) => {
      text += chunk.toString();
    };
    child.stdout?.on('data', append);
    child.stderr?.on('data', append);
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    try {
      await waitForPong(port, child, () => text);
    } catch (error) {
      child.kill('SIGKILL');
      await exited;
      if (attempt < 2) continue; // the free port may have been taken in between
      throw error;
    }
    return {
      url: `redis://127.0.0.1:${port}`,
      port,
      command: (line) => send(port, line),
      async stop() {
        if (child.exitCode === null) child.kill('SIGTERM');
        await exited;
      },
    };
  }
}
