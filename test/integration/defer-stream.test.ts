import { describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.js';

/** One JSON part of a `multipart/mixed` incremental-delivery response. */
interface Part {
  data?: unknown;
  incremental?: { data?: Record<string, unknown>; items?: unknown[]; path: (string | number)[] }[];
  hasNext: boolean;
  errors?: unknown[];
}

/**
 * Reads the parts of yoga's `multipart/mixed; boundary="-"` body as they arrive (each part:
 * `\r\n---\r\n` headers `\r\n\r\n` JSON), so a test can act between the first part and the rest.
 * Content-Length counts bytes; the bodies here are ASCII, which the final check confirms.
 */
async function* readParts(response: Response): AsyncGenerator<Part> {
  expect(response.headers.get('content-type')).toBe('multipart/mixed; boundary="-"');
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    for (;;) {
      const head = /^\r\n---\r\n([\s\S]*?)\r\n\r\n/.exec(buffer);
      const length = Number(/content-length: (\d+)/i.exec(head?.[1] ?? '')?.[1] ?? Number.NaN);
      if (!head || buffer.length < head[0].length + length) break;
      const body = buffer.slice(head[0].length, head[0].length + length);
      expect(Buffer.byteLength(body)).toBe(length);
      // `extensions` (the planner's cost report) is not what these tests are about.
      const { extensions: _, ...part } = JSON.parse(body) as Part & { extensions?: unknown };
      yield part;
      buffer = buffer.slice(head[0].length + length);
    }
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
  }
  expect(buffer).toBe('\r\n-----\r\n');
}

/** A gate that holds matching upstream requests until opened. */
function gate(matches: (url: URL) => boolean) {
  let open: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  const wrapFetch =
    (inner: typeof fetch): typeof fetch =>
    async (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      if (matches(url)) await opened;
      return inner(input, init);
    };
  return { wrapFetch, open };
}

const post = (app: ReturnType<typeof createTestApp>['app'], query: string) =>
  app.fetch('http://app/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'multipart/mixed' },
    body: JSON.stringify({ query }),
  });

describe('@defer and @stream over multipart/mixed', () => {
  it('sends the list first and each deferred missingKbs as it arrives', async () => {
    const held = gate((url) => url.pathname.endsWith('/getmissingkbs'));
    const { app, emulator, calls } = createTestApp({ wrapFetch: held.wrapFetch });
    const response = await post(
      app,
      '{ softwareList(first: 3) { nodes { id name ... @defer { missingKbs { id } } } } }',
    );
    expect(response.status).toBe(200);
    const parts = readParts(response);

    // The first part arrives while every getmissingkbs call is still held upstream.
    const first = await parts.next();
    const top3 = emulator.dataset.software.slice(0, 3);
    expect(first.value).toEqual({
      data: { softwareList: { nodes: top3.map((s) => ({ id: s.id, name: s.name })) } },
      hasNext: true,
    });
    expect(calls('software.getmissingkbs')).toHaveLength(0);

    held.open();
    const rest: Part[] = [];
    for await (const part of parts) rest.push(part);
    expect(rest.at(-1)?.hasNext).toBe(false);
    expect(rest.slice(0, -1).every((part) => part.hasNext)).toBe(true);
    const delivered = rest.flatMap((part) => part.incremental ?? []);
    expect(delivered.map((d) => d.path).sort()).toEqual([
      ['softwareList', 'nodes', 0],
      ['softwareList', 'nodes', 1],
      ['softwareList', 'nodes', 2],
    ]);
    for (const { path, data } of delivered) {
      const kbs = emulator.dataset.missingKbsBySoftwareId.get(top3[path[2] as number]?.id ?? '') ?? [];
      expect(data).toEqual({ missingKbs: kbs.map((kb) => ({ id: kb.id })) });
    }
    expect(rest.flatMap((part) => part.errors ?? [])).toEqual([]);

    // Deferring changes when data arrives, not what it costs: 1 list + 1 getmissingkbs per id.
    expect(calls('software.list')).toHaveLength(1);
    expect(calls('software.getmissingkbs').map((c) => c.id)).toEqual(top3.map((s) => s.id));
    expect(emulator.log).toHaveLength(4);
  });

  it('streams list items after the initial count', async () => {
    const { app, emulator } = createTestApp();
    const response = await post(
      app,
      '{ softwareList(first: 3) { nodes @stream(initialCount: 1) { id name } } }',
    );
    const parts: Part[] = [];
    for await (const part of readParts(response)) parts.push(part);
    const top3 = emulator.dataset.software.slice(0, 3).map((s) => ({ id: s.id, name: s.name }));
    expect(parts[0]).toEqual({ data: { softwareList: { nodes: top3.slice(0, 1) } }, hasNext: true });
    const streamed = parts.slice(1).flatMap((part) => part.incremental ?? []);
    expect(streamed.flatMap((s) => s.items ?? [])).toEqual(top3.slice(1));
    expect(streamed.map((s) => s.path)).toEqual([
      ['softwareList', 'nodes', 1],
      ['softwareList', 'nodes', 2],
    ]);
    expect(parts.at(-1)?.hasNext).toBe(false);
    expect(emulator.log.map((e) => e.route)).toEqual(['software.list']);
  });

  it('also delivers incrementally over text/event-stream', async () => {
    const { app, emulator } = createTestApp();
    const response = await app.fetch('http://app/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: '{ softwareList(first: 1) { nodes { id ... @defer { name } } } }' }),
    });
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events = (await response.text())
      .split('\n')
      .filter((line) => line.startsWith('data: '))
      .map((line) => {
        const { extensions: _, ...part } = JSON.parse(line.slice(6)) as Part & { extensions?: unknown };
        return part;
      });
    const [first] = emulator.dataset.software;
    expect(events.filter((e) => 'hasNext' in e)).toEqual([
      { data: { softwareList: { nodes: [{ id: first?.id }] } }, hasNext: true },
      { incremental: [{ data: { name: first?.name }, path: ['softwareList', 'nodes', 0] }], hasNext: false },
    ]);
    expect(emulator.log.map((e) => e.route)).toEqual(['software.list']);
  });

  it('keeps a failing deferred field an error of that fragment only', async () => {
    const { app, emulator } = createTestApp({
      wrapFetch: (inner) => async (input, init) => {
        const url = new URL(input instanceof Request ? input.url : String(input));
        if (url.pathname.endsWith('/getmissingkbs'))
          return new Response('<html>oops</html>', { status: 502 });
        return inner(input, init);
      },
    });
    const response = await post(
      app,
      '{ softwareList(first: 2) { nodes { id ... @defer { missingKbs { id } } } } }',
    );
    const parts: Part[] = [];
    for await (const part of readParts(response)) parts.push(part);
    const top2 = emulator.dataset.software.slice(0, 2).map((s) => ({ id: s.id }));
    expect(parts[0]).toEqual({ data: { softwareList: { nodes: top2 } }, hasNext: true });
    const delivered = parts.flatMap((part) => part.incremental ?? []);
    expect(delivered).toHaveLength(2);
    for (const item of delivered as { data: unknown; errors?: { extensions?: { code?: string } }[] }[]) {
      expect(item.data).toBeNull();
      expect(item.errors?.map((e) => e.extensions?.code)).toEqual(['UPSTREAM_UNAVAILABLE']);
    }
    expect(JSON.stringify(parts)).not.toContain('oops');
  });
});
