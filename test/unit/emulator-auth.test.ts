import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  createEmulator,
  DEMO_APP_ID,
  DEMO_TENANT_ID,
  demoTokenClaims,
  type Emulator,
  mintUnsignedToken,
} from '../../src/emulator/index.js';

const HOST = 'https://api.security.microsoft.com';
const NOW = Date.UTC(2025, 0, 15, 12, 0, 0);
const EDGE = '/api/Software/microsoft-_-edge';

interface Result {
  status: number;
  code: string | undefined;
  message: string | undefined;
  headers: Headers;
}

async function call(emulator: Emulator, path: string, authorization: string | null): Promise<Result> {
  const headers: Record<string, string> = authorization === null ? {} : { authorization };
  const response = await emulator.fetch(new Request(`${HOST}${path}`, { headers }));
  const body = (await response.json()) as { error?: { code: string; message: string } };
  return {
    status: response.status,
    code: body.error?.code,
    message: body.error?.message,
    headers: response.headers,
  };
}

const bearer = (claims: Record<string, unknown>): string => `Bearer ${mintUnsignedToken(claims)}`;
const demo = (overrides: Record<string, unknown> = {}): string =>
  bearer({ ...demoTokenClaims(NOW), ...overrides });

describe('emulator auth', () => {
  const emulator = createEmulator({ now: () => NOW });

  it('accepts the demo token, whose claims carry the documented audience and roles', async () => {
    expect(demoTokenClaims(NOW)).toMatchObject({
      aud: 'https://api.securitycenter.microsoft.com',
      roles: ['Software.Read.All', 'Vulnerability.Read.All', 'Machine.Read.All'],
      tid: DEMO_TENANT_ID,
      appid: DEMO_APP_ID,
      exp: NOW / 1000 + 3600,
    });
    expect((await call(emulator, EDGE, demo())).status).toBe(200);
  });

  it.each([
    ['missing', null],
    ['not bearer', `Basic ${Buffer.from('a:b').toString('base64')}`],
    ['not a JWT', 'Bearer abc'],
    ['payload not JSON', 'Bearer eyJhbGciOiJub25lIn0.bm90LWpzb24.'],
    ['expired', demo({ exp: NOW / 1000 })],
    ['without exp', demo({ exp: undefined })],
    ['not yet valid', demo({ nbf: NOW / 1000 + 60 })],
  ])('answers 401 Unauthorized for a %s token', async (_case, authorization) => {
    const result = await call(emulator, EDGE, authorization);
    expect([result.status, result.code]).toEqual([401, 'Unauthorized']);
  });

  it('accepts a token that expires one second later', async () => {
    expect((await call(emulator, EDGE, demo({ exp: NOW / 1000 + 1 }))).status).toBe(200);
  });

  it.each([
    'https://userrequestsgraphapi-prd.trafficmanager.net',
    'https://graph.microsoft.com',
    'fc780465-2017-40d4-a0c5-307022471b92',
  ])('answers 403 Forbidden for the foreign audience %s', async (aud) => {
    const result = await call(emulator, EDGE, demo({ aud }));
    expect([result.status, result.code]).toEqual([403, 'Forbidden']);
    expect(result.message).toContain(aud);
  });

  it.each([
    'https://api.security.microsoft.com/',
    'https://securitycenter.onmicrosoft.com/windowsatpservice',
    'https://api-gov.securitycenter.microsoft.us',
    'https://api-gcc.securitycenter.microsoft.us/',
    'https://securitycenter.onmicrosoft.us/windowsatpservice',
  ])('accepts the audience %s', async (aud) => {
    expect((await call(emulator, EDGE, demo({ aud }))).status).toBe(200);
  });

  it('honours acceptedAudiences', async () => {
    const custom = createEmulator({ now: () => NOW, acceptedAudiences: ['api://custom'] });
    expect((await call(custom, EDGE, demo({ aud: 'api://custom/' }))).status).toBe(200);
    expect((await call(custom, EDGE, demo())).status).toBe(403);
  });

  it.each([
    [EDGE, { roles: ['Vulnerability.Read.All', 'Machine.Read.All'] }, 403],
    [EDGE, { roles: undefined, scp: 'Software.Read' }, 200],
    [`${EDGE}/vulnerabilities`, { roles: ['Software.Read.All'] }, 403],
    [`${EDGE}/vulnerabilities`, { roles: undefined, scp: 'User.Read Vulnerability.Read' }, 200],
    ['/api/machines/x', { roles: ['Software.Read.All'] }, 403],
    ['/api/machines/x', { roles: ['Machine.ReadWrite.All'] }, 404],
    ['/api/machines/x', { roles: undefined, scp: 'Machine.Read' }, 404],
    ['/api/machines/x/getmissingkbs', { roles: undefined, scp: 'Software.Read' }, 403],
    ['/api/machines/x/getmissingkbs', { roles: ['Software.Read.All'] }, 404],
    ['/api/vulnerabilities/CVE-2000-0001', { roles: ['Software.Read.All'] }, 403],
  ])('%s with %j → %i', async (path, claims, status) => {
    const result = await call(emulator, path, demo(claims));
    expect(result.status).toBe(status);
    if (status === 403) expect(result.code).toBe('Forbidden');
  });
});

describe('emulator quotas', () => {
  it('answers 429 with Retry-After counted from the injected clock, per endpoint template', async () => {
    let now = NOW;
    const emulator = createEmulator({ now: () => now, quotas: [{ limit: 3, windowMs: 60_000 }] });
    for (const offset of [0, 10_000, 20_000]) {
      now = NOW + offset;
      expect((await call(emulator, EDGE, demo())).status).toBe(200);
    }
    now = NOW + 30_500;
    const limited = await call(emulator, '/api/Software/google-_-chrome', demo());
    expect([limited.status, limited.code]).toEqual([429, 'TooManyRequests']);
    // The first call (at NOW) leaves the window at NOW + 60 s: 29.5 s away, rounded up.
    expect(limited.headers.get('retry-after')).toBe('30');
    expect((await call(emulator, `${EDGE}/getmissingkbs`, demo())).status).toBe(200);
    now = NOW + 60_000;
    expect((await call(emulator, EDGE, demo())).status).toBe(200);
    expect((await call(emulator, EDGE, demo())).headers.get('retry-after')).toBe('10');
  });

  it('keeps separate buckets per tenant and app, and takes the longest wait across windows', async () => {
    let now = NOW;
    const emulator = createEmulator({
      now: () => now,
      quotas: [
        { limit: 2, windowMs: 1_000 },
        { limit: 3, windowMs: 3_600_000 },
      ],
    });
    for (const at of [0, 100, 2_000]) {
      now = NOW + at;
      expect((await call(emulator, EDGE, demo())).status).toBe(200);
    }
    now = NOW + 2_100;
    expect((await call(emulator, EDGE, demo())).headers.get('retry-after')).toBe('3598');
    expect((await call(emulator, EDGE, demo({ appid: 'other-app' }))).status).toBe(200);
    expect((await call(emulator, EDGE, demo({ appid: undefined, azp: 'v2-app' }))).status).toBe(200);
    expect((await call(emulator, EDGE, demo({ tid: 'other-tenant' }))).status).toBe(200);
  });

  it('rounds a sub-second wait up to 1 and resets on setQuotas', async () => {
    let now = NOW;
    const emulator = createEmulator({ now: () => now, quotas: [{ limit: 1, windowMs: 1_000 }] });
    expect((await call(emulator, EDGE, demo())).status).toBe(200);
    now = NOW + 999;
    expect((await call(emulator, EDGE, demo())).headers.get('retry-after')).toBe('1');
    emulator.setQuotas([]);
    expect((await call(emulator, EDGE, demo())).status).toBe(200);
  });
});

describe('emulator log and latency', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('logs every request with its status, raw encoded path and decoded id', async () => {
    const emulator = createEmulator({ now: () => NOW });
    const token = demo();
    await call(emulator, '/api/Software/a%2Fb/getmissingkbs?x=1', token);
    await call(emulator, '/api/Software', null);
    await call(emulator, '/api/nothing', token);
    expect(emulator.log).toEqual([
      {
        at: NOW,
        method: 'GET',
        rawPath: '/api/Software/a%2Fb/getmissingkbs',
        search: '?x=1',
        status: 404,
        authorization: token,
        route: 'software.getmissingkbs',
        id: 'a/b',
      },
      {
        at: NOW,
        method: 'GET',
        rawPath: '/api/Software',
        search: '',
        status: 401,
        authorization: null,
        route: null,
      },
      {
        at: NOW,
        method: 'GET',
        rawPath: '/api/nothing',
        search: '',
        status: 404,
        authorization: token,
        route: null,
      },
    ]);
    emulator.clearLog();
    expect(emulator.log).toEqual([]);
  });

  it('logs requests rejected by quota and permission', async () => {
    const emulator = createEmulator({ now: () => NOW, quotas: [{ limit: 1, windowMs: 1_000 }] });
    await call(emulator, EDGE, demo());
    await call(emulator, EDGE, demo());
    await call(emulator, EDGE, demo({ roles: [] }));
    expect(emulator.log.map((e) => [e.route, e.status])).toEqual([
      ['software.get', 200],
      ['software.get', 429],
      ['software.get', 403],
    ]);
  });

  it('delays each response by latencyMs on a timer that fake timers control', async () => {
    vi.useFakeTimers();
    const emulator = createEmulator({ latencyMs: 250 });
    const token = bearer(demoTokenClaims());
    let done = false;
    const pending = emulator
      .fetch(new Request(`${HOST}${EDGE}`, { headers: { authorization: token } }))
      .then((r) => {
        done = true;
        return r;
      });
    await vi.advanceTimersByTimeAsync(249);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(done).toBe(true);
    expect((await pending).status).toBe(200);

    emulator.setLatency(0);
    const immediate = await emulator.fetch(
      new Request(`${HOST}${EDGE}`, { headers: { authorization: token } }),
    );
    expect(immediate.status).toBe(200);
  });
});
