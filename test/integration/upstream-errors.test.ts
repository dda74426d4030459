import { describe, expect, it } from 'vitest';
import { createStaticTokenProvider } from '../../src/auth/token-provider.js';
import { demoTokenClaims, mintUnsignedToken } from '../../src/emulator/index.js';
import { createTestApp } from '../helpers/app.js';

const SECRET_MARKER = 'SECRET-UPSTREAM-DETAIL-42';

/** Replaces the emulator's answer for one id with `respond()`; other ids reach the emulator. */
function breakId(id: string, respond: () => Response | Promise<Response>) {
  return (inner: typeof fetch): typeof fetch =>
    async (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      if (url.pathname.includes(`/${encodeURIComponent(id)}/`)) return respond();
      return inner(input, init);
    };
}

const KBS = `{ good: software(id:"microsoft-_-edge"){ missingKbs { id } } bad: software(id:"microsoft-_-office"){ missingKbs { id } } }`;

describe('upstream failures become typed, per-item errors', () => {
  it.each([
    [
      'HTML error page',
      () =>
        new Response(`<html>${SECRET_MARKER}</html>`, {
          status: 200,
          headers: { 'content-type': 'text/html' },
        }),
      'UPSTREAM_BAD_RESPONSE',
    ],
    [
      'truncated JSON',
      () => new Response(`{"value":[{"id":"${SECRET_MARKER}"`, { status: 200 }),
      'UPSTREAM_BAD_RESPONSE',
    ],
    [
      'wrong shape',
      () => Response.json({ value: [{ id: 5, name: SECRET_MARKER }] }),
      'UPSTREAM_BAD_RESPONSE',
    ],
    [
      '500 with body',
      () =>
        Response.json(
          { error: { code: 'InternalServerError', message: SECRET_MARKER, target: 'abc-123' } },
          { status: 500 },
        ),
      'UPSTREAM_UNAVAILABLE',
    ],
    ['503 HTML', () => new Response(`<h1>${SECRET_MARKER}</h1>`, { status: 503 }), 'UPSTREAM_UNAVAILABLE'],
    [
      '429',
      () =>
        Response.json(
          { error: { code: 'TooManyRequests', message: SECRET_MARKER } },
          { status: 429, headers: { 'retry-after': '7' } },
        ),
      'UPSTREAM_RATE_LIMITED',
    ],
    [
      '403',
      () => Response.json({ error: { code: 'Forbidden', message: SECRET_MARKER } }, { status: 403 }),
      'UPSTREAM_FORBIDDEN',
    ],
    [
      'network error',
      () => Promise.reject(new TypeError(`fetch failed ${SECRET_MARKER}`)),
      'UPSTREAM_UNAVAILABLE',
    ],
  ] as const)('%s', async (_name, respond, code) => {
    const { gql, logger } = createTestApp({ wrapFetch: breakId('microsoft-_-office', respond) });
    const result = await gql<{ good: unknown; bad: unknown }>(KBS);
    expect(result.data?.good).not.toBeNull();
    expect(result.data?.bad).toBeNull();
    expect(result.errors).toHaveLength(1);
    expect(result.errors?.[0]?.path).toEqual(['bad', 'missingKbs']);
    expect(result.errors?.[0]?.extensions?.code).toBe(code);
    if (code === 'UPSTREAM_RATE_LIMITED') expect(result.errors?.[0]?.extensions?.retryAfterSeconds).toBe(7);
    expect(JSON.stringify(result)).not.toContain(SECRET_MARKER);
    expect(logger.lines.join('\n')).not.toContain(SECRET_MARKER);
  });

  it('refreshes the token once after a 401 and retries once', async () => {
    let issued = 0;
    const tokens = createStaticTokenProvider(() => {
      issued += 1;
      // The first token is already expired, so the emulator answers 401 to it.
      const claims = demoTokenClaims();
      return mintUnsignedToken(issued === 1 ? { ...claims, exp: 1 } : claims);
    }, 'test');
    const { gql, emulator } = createTestApp({ tokens });
    const result = await gql(`{ software(id:"microsoft-_-edge"){ missingKbs { id } } }`);
    expect(result.errors).toBeUndefined();
    expect(emulator.log.map((e) => e.status)).toEqual([401, 200]);
    expect(issued).toBe(2);
  });

  it('reports UPSTREAM_UNAUTHORIZED when the refreshed token is refused too', async () => {
    const tokens = createStaticTokenProvider(
      () => mintUnsignedToken({ ...demoTokenClaims(), exp: 1 }),
      'expired',
    );
    const { gql, emulator } = createTestApp({ tokens });
    const result = await gql(`{ software(id:"microsoft-_-edge"){ missingKbs { id } } }`);
    expect(result.data).toEqual({ software: null });
    expect(result.errors?.map((e) => e.extensions?.code)).toEqual(['UPSTREAM_UNAUTHORIZED']);
    expect(emulator.log.map((e) => e.status)).toEqual([401, 401]);
  });

  it('maps a token without the permission to UPSTREAM_FORBIDDEN', async () => {
    const tokens = createStaticTokenProvider(
      () => mintUnsignedToken({ ...demoTokenClaims(), roles: ['Machine.Read.All'] }),
      'no role',
    );
    const { gql } = createTestApp({ tokens });
    const result = await gql(`{ software(id:"microsoft-_-edge"){ missingKbs { id } } }`);
    expect(result.errors?.map((e) => e.extensions?.code)).toEqual(['UPSTREAM_FORBIDDEN']);
  });

  it('caps calls in flight per batch at maxConcurrency', async () => {
    let inFlight = 0;
    let peak = 0;
    const ids = Array.from({ length: 12 }, (_, i) => `contoso-_-product_${i}`);
    const { gql, emulator } = createTestApp({
      maxConcurrency: 3,
      emulator: { latencyMs: 20 },
      wrapFetch: (inner) => async (input, init) => {
        inFlight += 1;
        peak = Math.max(peak, inFlight);
        try {
          return await inner(input, init);
        } finally {
          inFlight -= 1;
        }
      },
    });
    const result = await gql(`query($ids: [ID!]!) { softwareByIds(ids: $ids) { id missingKbs { id } } }`, {
      ids,
    });
    expect(result.errors).toHaveLength(12);
    expect(emulator.log).toHaveLength(12);
    expect(peak).toBe(3);
  });
});
