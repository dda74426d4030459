import { describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.js';

const KBS = '{ software(id: "microsoft-_-edge") { name missingKbs { id name } } }';

describe('whole-response reuse (GRAPHQL_RESPONSE_CACHE_TTL_MS)', () => {
  it('answers a repeated clean operation without executing it again', async () => {
    const { gql, emulator } = createTestApp({ responseCacheTtlMs: 60_000 });
    const first = await gql(KBS);
    expect(emulator.log).toHaveLength(2);
    const second = await gql(KBS);
    // This test app has no data cache, so any execution would reach the emulator again.
    expect(emulator.log).toHaveLength(2);
    expect(second.data).toEqual(first.data);
    // Other variables are another answer.
    await gql('query($id: ID!) { software(id: $id) { name } }', { id: 'google-_-chrome' });
    await gql('query($id: ID!) { software(id: $id) { name } }', { id: 'mozilla-_-firefox' });
    expect(emulator.log.map((e) => e.id)).toEqual([
      'microsoft-_-edge',
      'microsoft-_-edge',
      'google-_-chrome',
      'mozilla-_-firefox',
    ]);
  });

  it('keeps answers with errors out, so failures are retried', async () => {
    const { gql, emulator } = createTestApp({ responseCacheTtlMs: 60_000 });
    const query = '{ software(id: "contoso-_-nothing") { name } }';
    expect((await gql(query)).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect((await gql(query)).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(emulator.log).toHaveLength(2);
  });

  it('is off with a TTL of 0', async () => {
    const { gql, emulator } = createTestApp({ responseCacheTtlMs: 0 });
    await gql(KBS);
    await gql(KBS);
    expect(emulator.log).toHaveLength(4);
  });

  it('serves the same JSON text for every hit', async () => {
    const { app } = createTestApp({ responseCacheTtlMs: 60_000 });
    const post = () =>
      app.fetch('http://app/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: KBS }),
      });
    const texts = [await (await post()).text(), await (await post()).text(), await (await post()).text()];
    expect(new Set(texts).size).toBe(1);
    expect(JSON.parse(texts[0] as string).data.software.name).toBe('edge');
  });

  it('answers a matching If-None-Match with 304 and no body', async () => {
    const { app, emulator } = createTestApp({ responseCacheTtlMs: 60_000 });
    const post = (headers: Record<string, string> = {}) =>
      app.fetch('http://app/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query: KBS }),
      });
    const first = await post();
    const etag = first.headers.get('etag');
    expect(etag).toBeTruthy();
    const again = await post({ 'if-none-match': etag as string });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    expect(emulator.log).toHaveLength(2);
  });
});
