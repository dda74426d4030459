import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServerAdapter } from '@whatwg-node/server';
import { createEmulator } from './app.js';
import { isConnectionReset, partialOf } from './faults-responses.js';
import type { Emulator, EmulatorOptions } from './types.js';

/** Options of {@link startEmulatorServer}. */
export interface EmulatorServerOptions extends EmulatorOptions {
  /** TCP port; 0 picks a free one. @default 0 */
  port?: number;
  /** Interface to bind; loopback only, because the emulator accepts unsigned tokens. @default '127.0.0.1' */
  host?: string;
}

/** A listening emulator. */
export interface RunningEmulator {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:4010`. */
  url: string;
  emulator: Emulator;
  /** Stops listening and drops open connections. */
  close(): Promise<void>;
}

// `reset` faults act on the socket: a RST before any byte (the client sees ECONNRESET / 'fetch failed'),
// or the status line, headers and half the body followed by a close (reading the body fails). The adapter
// skips writing to a destroyed response, so the Response returned afterwards is never sent.
async function answer(emulator: Emulator, request: Request, res: ServerResponse): Promise<Response> {
  try {
    const response = await emulator.fetch(request);
    const partial = partialOf(response);
    if (!partial) return response;
    await response.body?.cancel();
    res.writeHead(partial.status, partial.headers);
    await new Promise<void>((resolve) => res.write(partial.sent, () => resolve()));
    res.destroy();
    return new Response(null, { status: 500 });
  } catch (error) {
    if (!isConnectionReset(error)) throw error;
    res.socket?.resetAndDestroy();
    res.destroy();
    return new Response(null, { status: 500 });
  }
}

/** Serves {@link createEmulator} over HTTP, for the dev server and end-to-end tests. */
export async function startEmulatorServer(options: EmulatorServerOptions = {}): Promise<RunningEmulator> {
  const { port = 0, host = '127.0.0.1', ...emulatorOptions } = options;
  const emulator = createEmulator(emulatorOptions);
  const adapter = createServerAdapter<{ res: ServerResponse }>((request, context) =>
    answer(emulator, request, context.res),
  );
  const server = createServer(adapter);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const hostPart = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${hostPart}:${address.port}`,
    emulator,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
