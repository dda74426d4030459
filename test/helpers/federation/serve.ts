import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A loopback HTTP server started by {@link serveLoopback}. */
export interface LoopbackServer {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  origin: string;
  /** Stops accepting and drops idle keep-alive sockets, so afterAll does not hang on the gateway's pool. */
  close(): Promise<void>;
}

/**
 * Serves a node request listener (a yoga app or gateway runtime) on 127.0.0.1 with an OS-chosen port,
 * so parallel test files never collide and nothing listens beyond loopback.
 */
export async function serveLoopback(listener: RequestListener): Promise<LoopbackServer> {
  const server = createServer(listener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
