import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { type Started, startScript } from '../helpers/process.js';

const started: Started[] = [];
afterAll(() => {
  for (const s of started) s.child.kill('SIGKILL');
});

describe('npm start (src/main.ts)', () => {
  it('serves demo data without credentials, says so, and stops cleanly on SIGTERM', async () => {
    const server = startScript('src/main.ts', { PORT: '0', HOST: '127.0.0.1' });
    started.push(server);
    const [, url] = await server.waitFor(/GraphQL and GraphiQL at (http:\/\/127\.0\.0\.1:\d+\/graphql)/);
    expect(server.output()).toContain('DEMO MODE');
    const base = new URL(url as string);

    expect((await fetch(new URL('/health', base))).status).toBe(200);
    const response = await fetch(base, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'req-123' },
      body: JSON.stringify({ query: '{ software(id: "microsoft-_-edge") { name missingKbs { id } } }' }),
    });
    expect(response.headers.get('x-request-id')).toBe('req-123');
    const body = (await response.json()) as { data: { software: { name: string; missingKbs: unknown[] } } };
    expect(body.data.software.name).toBe('edge');
    expect(body.data.software.missingKbs.length).toBeGreaterThan(0);

    const page = await fetch(base, { headers: { accept: 'text/html' } });
    const html = await page.text();
    expect(html).toContain('softwareByIds');
    expect(html).not.toMatch(/src="https?:\/\/(?!127\.0\.0\.1)/);

    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(server.output()).toContain('shutting down');
  });

  it('exits with status 2 and lists every configuration problem', async () => {
    const server = startScript('src/main.ts', { AZURE_CLIENT_ID: 'abc', PORT: 'x', DEFENDER_CLOUD: 'mars' });
    started.push(server);
    expect(await server.exited).toBe(2);
    const output = server.output();
    expect(output).toContain('invalid configuration');
    for (const name of ['PORT', 'DEFENDER_CLOUD', 'AZURE_TENANT_ID', 'AZURE_CLIENT_SECRET'])
      expect(output).toContain(name);
  });

  it('says which address is taken instead of crashing with a stack trace', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as AddressInfo;
    const server = startScript('src/main.ts', { PORT: String(port), HOST: '127.0.0.1' });
    started.push(server);
    expect(await server.exited).toBe(1);
    expect(server.output()).toContain(`tvm-graphql cannot listen on 127.0.0.1:${port}: EADDRINUSE`);
    expect(server.output()).not.toMatch(/\n\s+at /);
    await new Promise<void>((resolve) => blocker.close(() => resolve()));
  });
});
