import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  demoTokenClaims,
  mintUnsignedToken,
  type RunningEmulator,
  startEmulatorServer,
} from '../../src/emulator/index.js';
import { startScript } from '../helpers/process.js';

const authorization = `Bearer ${mintUnsignedToken(demoTokenClaims())}`;
const EDGE = '/api/Software/microsoft-_-edge';

describe('emulator faults over real HTTP', () => {
  let server: RunningEmulator;
  const get = (path: string, init: RequestInit = {}) =>
    fetch(`${server.url}${path}`, { headers: { authorization }, ...init });
  const statuses = () => server.emulator.log.map((e) => [e.status, e.fault ?? null]);

  beforeAll(async () => {
    server = await startEmulatorServer({ port: 0 });
  });

  beforeEach(() => {
    server.emulator.faults.clear();
    server.emulator.clearLog();
  });

  afterAll(async () => {
    await server.close();
  });

  it('resets the connection before any byte: fetch fails with ECONNRESET, the server stays healthy', async () => {
    server.emulator.faults.add({ times: 1, fault: { kind: 'reset' } });
    const error = await get(EDGE).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect(error).toMatchObject({ message: 'fetch failed', cause: { code: 'ECONNRESET' } });
    expect((await get(EDGE)).status).toBe(200);
    expect(statuses()).toEqual([
      [0, 'reset'],
      [200, null],
    ]);
  });

  it('drops the connection after the headers and half the body with afterHeaders', async () => {
    server.emulator.faults.add({ times: 1, fault: { kind: 'reset', afterHeaders: true } });
    const response = await get(`${EDGE}/getmissingkbs`);
    expect(response.status).toBe(200);
    await expect(response.text()).rejects.toMatchObject({ name: 'TypeError', message: 'terminated' });
    expect((await get(`${EDGE}/getmissingkbs`)).status).toBe(200);
    expect(statuses()).toEqual([
      [0, 'reset'],
      [200, null],
    ]);
  });

  it('hangs until the client aborts, then releases the request', async () => {
    server.emulator.faults.add({ match: { route: 'software.get' }, fault: { kind: 'hang' } });
    const controller = new AbortController();
    const pending = get(EDGE, { signal: controller.signal });
    await vi.waitFor(() => expect(server.emulator.faults.pending).toBe(1));
    expect((await get(`${EDGE}/getmissingkbs`)).status).toBe(200);
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    await vi.waitFor(() => expect(server.emulator.faults.pending).toBe(0));
    expect(statuses()).toEqual([
      [0, 'hang'],
      [200, null],
    ]);
  });

  it('serves HTML error pages and malformed JSON over the wire', async () => {
    server.emulator.faults.add({ times: 1, fault: { kind: 'html' } });
    server.emulator.faults.add({ times: 1, fault: { kind: 'malformed-json' } });
    const html = await get(EDGE);
    expect([html.status, html.headers.get('content-type')]).toEqual([502, 'text/html']);
    expect(await html.text()).toContain('502 Bad Gateway');
    const broken = await get(EDGE);
    const text = await broken.text();
    expect(broken.headers.get('content-length')).toBe(String(Buffer.byteLength(text)));
    expect(() => JSON.parse(text)).toThrow(SyntaxError);
  });
});

describe('emulator server close with a hanging request', () => {
  it('releases hung requests when the server closes', async () => {
    const running = await startEmulatorServer({ port: 0, faults: [{ fault: { kind: 'hang' } }] });
    const pending = fetch(`${running.url}${EDGE}`, { headers: { authorization } }).catch((e: unknown) => e);
    await vi.waitFor(() => expect(running.emulator.faults.pending).toBe(1));
    await running.close();
    expect(await pending).toMatchObject({ name: 'TypeError', message: 'fetch failed' });
    await vi.waitFor(() => expect(running.emulator.faults.pending).toBe(0));
  });
});

describe('npm run emulator with EMULATOR_FAULTS', () => {
  it('pre-loads the rules from JSON', async () => {
    const rules = [
      { match: { route: 'software.getmissingkbs' }, fault: { kind: 'storm', retryAfterSeconds: 30 } },
    ];
    const started = startScript('src/emulator/main.ts', {
      PORT: '0',
      EMULATOR_FAULTS: JSON.stringify(rules),
    });
    try {
      const [, url] = await started.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
      await started.waitFor(/1 fault rule\(s\) from EMULATOR_FAULTS are active/);
      const stormed = await fetch(`${url}${EDGE}/getmissingkbs`, { headers: { authorization } });
      expect([stormed.status, stormed.headers.get('retry-after')]).toEqual([429, '30']);
      expect((await fetch(`${url}${EDGE}`, { headers: { authorization } })).status).toBe(200);
    } finally {
      started.child.kill('SIGTERM');
      await started.exited;
    }
  });

  it('exits 1 naming the bad rule', async () => {
    const started = startScript('src/emulator/main.ts', {
      PORT: '0',
      EMULATOR_FAULTS: '[{"match":{"route":"software.nope"},"fault":{"kind":"hang"}}]',
    });
    expect(await started.exited).toBe(1);
    expect(started.output()).toContain('EMULATOR_FAULTS[0]');
    expect(started.output()).toContain('unknown route');
  });
});
