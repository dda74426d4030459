import { afterEach, describe, expect, it, vi } from 'vitest';
import { DefenderError } from '../../src/defender/errors.js';
import {
  collectionSchema,
  missingKbSchema,
  parseResponse,
  softwareSchema,
} from '../../src/defender/schemas.js';
import {
  createEmulator,
  demoTokenClaims,
  type EmulatorOptions,
  mintUnsignedToken,
  parseFaultRules,
} from '../../src/emulator/index.js';

const HOST = 'https://api.security.microsoft.com';
const EDGE = '/api/Software/microsoft-_-edge';
const CHROME = '/api/Software/google-_-chrome';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const token = mintUnsignedToken(demoTokenClaims());

function setup(options: EmulatorOptions = {}) {
  const clock = { now: Date.now() };
  const emulator = createEmulator({ now: () => clock.now, ...options });
  const get = (path: string, init: RequestInit = {}) =>
    emulator.fetch(new Request(`${HOST}${path}`, { headers: { authorization: `Bearer ${token}` }, ...init }));
  const statuses = () => emulator.log.map((e) => [e.status, e.fault ?? null]);
  return { emulator, clock, get, statuses };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('emulator status faults', () => {
  it('answers a 503 with the Defender error body on the matched route only, and logs the fault', async () => {
    const { emulator, get } = setup();
    emulator.faults.add({
      match: { route: 'software.getmissingkbs' },
      fault: { kind: 'status', status: 503 },
    });
    const faulted = await get(`${EDGE}/getmissingkbs`);
    expect(faulted.status).toBe(503);
    expect(faulted.headers.get('content-type')).toBe('application/json');
    expect(faulted.headers.get('retry-after')).toBeNull();
    const body = (await faulted.json()) as { error: Record<string, string> };
    expect(Object.keys(body.error).sort()).toEqual(['code', 'message', 'target']);
    expect(body.error.code).toBe('ServiceUnavailable');
    expect(body.error.target).toMatch(GUID);
    expect((await get(EDGE)).status).toBe(200);
    expect(emulator.log.map((e) => [e.route, e.id, e.status, e.fault])).toEqual([
      ['software.getmissingkbs', 'microsoft-_-edge', 503, 'status'],
      ['software.get', 'microsoft-_-edge', 200, undefined],
    ]);
  });

  it('gives a 429 TooManyRequests with Retry-After 1 by default, verbatim strings, or none', async () => {
    const { emulator, get } = setup();
    const date = 'Wed, 21 Oct 2026 07:28:00 GMT';
    emulator.faults.add({ times: 1, fault: { kind: 'status', status: 429 } });
    emulator.faults.add({ times: 1, fault: { kind: 'status', status: 429, retryAfter: date } });
    emulator.faults.add({
      times: 1,
      fault: { kind: 'status', status: 429, retryAfter: null, code: 'Quota' },
    });
    const first = await get(EDGE);
    expect([first.status, first.headers.get('retry-after')]).toEqual([429, '1']);
    expect(((await first.json()) as { error: { code: string } }).error.code).toBe('TooManyRequests');
    expect((await get(EDGE)).headers.get('retry-after')).toBe(date);
    const third = await get(EDGE);
    expect(third.headers.get('retry-after')).toBeNull();
    expect(((await third.json()) as { error: { code: string } }).error.code).toBe('Quota');
    expect((await get(EDGE)).status).toBe(200);
  });

  it('applies `times` to the next N matching requests, then removes itself', async () => {
    const { emulator, get, statuses } = setup();
    const handle = emulator.faults.add({ times: 2, fault: { kind: 'status', status: 500 } });
    for (let i = 0; i < 3; i++) await get(EDGE);
    expect(statuses()).toEqual([
      [500, 'status'],
      [500, 'status'],
      [200, null],
    ]);
    expect([handle.hits, handle.active]).toEqual([2, false]);
  });

  it('matches ids case-insensitively and leaves other ids and id-less routes alone', async () => {
    const { emulator, get } = setup();
    emulator.faults.add({ match: { id: 'Microsoft-_-Edge' }, fault: { kind: 'status', status: 502 } });
    expect((await get(EDGE)).status).toBe(502);
    expect((await get(`${EDGE}/getmissingkbs`)).status).toBe(502);
    expect((await get(CHROME)).status).toBe(200);
    expect((await get('/api/Software?$top=1')).status).toBe(200);
  });

  it('matches route lists and prefix wildcards', async () => {
    const { emulator, get } = setup();
    emulator.faults.add({
      match: { route: ['machines.*', 'software.get'] },
      fault: { kind: 'status', status: 504 },
    });
    const machineId = emulator.dataset.machines[0]?.id ?? '';
    expect((await get(`/api/machines/${machineId}`)).status).toBe(504);
    expect((await get(EDGE)).status).toBe(504);
    expect((await get(`${EDGE}/getmissingkbs`)).status).toBe(200);
  });

  it('pre-empts auth and quota, and a faulted request does not consume quota', async () => {
    const { emulator, get, statuses } = setup({ quotas: [{ limit: 1, windowMs: 60_000 }] });
    const handle = emulator.faults.add({ fault: { kind: 'status', status: 429, retryAfter: 7 } });
    expect((await emulator.fetch(new Request(`${HOST}${EDGE}`))).status).toBe(429);
    await get(EDGE);
    handle.remove();
    await get(EDGE);
    await get(EDGE);
    expect(statuses()).toEqual([
      [429, 'status'],
      [429, 'status'],
      [200, null],
      [429, null],
    ]);
  });

  it('removes one rule with its handle and every rule (options too) with clear()', async () => {
    const { emulator, get, statuses } = setup({
      faults: [{ match: { id: 'google-_-chrome' }, fault: { kind: 'html' } }],
    });
    const handle = emulator.faults.add({
      match: { id: 'microsoft-_-edge' },
      fault: { kind: 'status', status: 500 },
    });
    await get(EDGE);
    await get(CHROME);
    handle.remove();
    handle.remove();
    await get(EDGE);
    await get(CHROME);
    emulator.faults.clear();
    await get(CHROME);
    expect(statuses()).toEqual([
      [500, 'status'],
      [502, 'html'],
      [200, null],
      [502, 'html'],
      [200, null],
    ]);
    expect(handle.active).toBe(false);
  });

  it('lets the first matching terminal rule win', async () => {
    const { emulator, get } = setup();
    const first = emulator.faults.add({
      match: { id: 'microsoft-_-edge' },
      fault: { kind: 'status', status: 500 },
    });
    const second = emulator.faults.add({ fault: { kind: 'status', status: 503 } });
    expect((await get(EDGE)).status).toBe(500);
    expect((await get(CHROME)).status).toBe(503);
    expect([first.hits, second.hits]).toEqual([1, 1]);
  });
});

describe('emulator 429 storm', () => {
  it('counts Retry-After down on the injected clock and resumes exactly at the end of the window', async () => {
    const { emulator, clock, get, statuses } = setup();
    const start = clock.now;
    const storm = emulator.faults.add({
      match: { route: 'software.*' },
      fault: { kind: 'storm', retryAfterSeconds: 5 },
    });
    const retryAfters: (string | null)[] = [];
    for (const offset of [0, 999, 1000, 2500, 4001, 4999]) {
      clock.now = start + offset;
      const response = await get(EDGE);
      expect(response.status).toBe(429);
      retryAfters.push(response.headers.get('retry-after'));
    }
    expect(retryAfters).toEqual(['5', '5', '4', '3', '1', '1']);
    const machineId = emulator.dataset.machines[0]?.id ?? '';
    expect((await get(`/api/machines/${machineId}`)).status).toBe(200);
    clock.now = start + 5000;
    expect((await get(EDGE)).status).toBe(200);
    expect([storm.hits, storm.active]).toEqual([6, false]);
    expect(statuses().map(([, fault]) => fault)).toEqual([...Array(6).fill('storm'), null, null]);
  });

  it('opens the window at the first matching request, not when the rule is added', async () => {
    const { emulator, clock, get } = setup();
    emulator.faults.add({ fault: { kind: 'storm', retryAfterSeconds: 3 } });
    clock.now += 60_000;
    const response = await get(EDGE);
    expect(response.headers.get('retry-after')).toBe('3');
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('TooManyRequests');
  });
});

describe('emulator latency and hang faults', () => {
  it('delays by the sum of the matching latency rules and the base latency, then serves normally', async () => {
    vi.useFakeTimers();
    const { emulator, get, statuses } = setup({ latencyMs: 10 });
    emulator.faults.add({ fault: { kind: 'latency', ms: 100 } });
    emulator.faults.add({ match: { id: 'microsoft-_-edge' }, fault: { kind: 'latency', ms: 1000 } });
    let settled = false;
    const pending = get(EDGE).then((r) => {
      settled = true;
      return r;
    });
    await vi.advanceTimersByTimeAsync(1109);
    expect(settled).toBe(false);
    expect(emulator.faults.pending).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect((await pending).status).toBe(200);
    expect(statuses()).toEqual([[200, 'latency']]);
    expect(emulator.faults.pending).toBe(0);
  });

  it('stacks latency in front of a terminal fault and logs the terminal kind', async () => {
    vi.useFakeTimers();
    const { emulator, get, statuses } = setup();
    emulator.faults.add({ fault: { kind: 'latency', ms: 50 } });
    emulator.faults.add({ fault: { kind: 'status', status: 500 } });
    const pending = get(EDGE);
    await vi.advanceTimersByTimeAsync(50);
    expect((await pending).status).toBe(500);
    expect(statuses()).toEqual([[500, 'status']]);
  });

  it('clears the latency timer when the request aborts', async () => {
    vi.useFakeTimers();
    const { emulator, get } = setup();
    emulator.faults.add({ fault: { kind: 'latency', ms: 30_000 } });
    const controller = new AbortController();
    const pending = get(EDGE, { signal: controller.signal });
    expect(vi.getTimerCount()).toBe(1);
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    expect(vi.getTimerCount()).toBe(0);
    expect(emulator.faults.pending).toBe(0);
  });

  it('hangs without a timer until the signal aborts, then rejects with its reason', async () => {
    vi.useFakeTimers();
    const { emulator, get, statuses } = setup();
    emulator.faults.add({ times: 1, fault: { kind: 'hang' } });
    const pending = get(EDGE, { signal: AbortSignal.timeout(250) });
    await vi.advanceTimersByTimeAsync(249);
    expect(emulator.faults.pending).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    await expect(pending).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(vi.getTimerCount()).toBe(0);
    expect(emulator.faults.pending).toBe(0);
    expect(statuses()).toEqual([[0, 'hang']]);
  });
});

describe('emulator broken-response faults', () => {
  it('rejects like a dropped connection on reset', async () => {
    const { emulator, get, statuses } = setup({ faults: [{ times: 1, fault: { kind: 'reset' } }] });
    const error = await get(EDGE).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect(error).toMatchObject({ message: 'fetch failed', cause: { code: 'ECONNRESET' } });
    expect((await get(EDGE)).status).toBe(200);
    expect(statuses()).toEqual([
      [0, 'reset'],
      [200, null],
    ]);
    expect(emulator.faults.pending).toBe(0);
  });

  it('cuts the body off after the headers on reset with afterHeaders', async () => {
    const { get, statuses } = setup({ faults: [{ fault: { kind: 'reset', afterHeaders: true } }] });
    const response = await get(`${EDGE}/getmissingkbs`);
    expect(response.status).toBe(200);
    await expect(response.text()).rejects.toMatchObject({ name: 'TypeError', message: 'terminated' });
    expect(statuses()).toEqual([[0, 'reset']]);
  });

  it('answers 200 JSON that does not parse on malformed-json', async () => {
    const { get, statuses } = setup({ faults: [{ fault: { kind: 'malformed-json' } }] });
    const response = await get(EDGE);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const text = await response.text();
    expect(text.startsWith('{"@odata.context":')).toBe(true);
    expect(() => JSON.parse(text)).toThrow(SyntaxError);
    expect(statuses()).toEqual([[200, 'malformed-json']]);
  });

  it('answers a proxy HTML page with text/html, 502 by default', async () => {
    const { emulator, get } = setup({ faults: [{ times: 1, fault: { kind: 'html' } }] });
    emulator.faults.add({ times: 1, fault: { kind: 'html', status: 503 } });
    const first = await get(EDGE);
    expect([first.status, first.headers.get('content-type')]).toEqual([502, 'text/html']);
    expect(await first.text()).toContain('<title>502 Bad Gateway</title>');
    expect((await get(EDGE)).status).toBe(503);
  });

  it('answers 200 JSON that every Defender schema rejects on wrong-shape', async () => {
    const { get } = setup({ faults: [{ fault: { kind: 'wrong-shape' } }] });
    const response = await get(EDGE);
    expect(response.status).toBe(200);
    const body: unknown = await response.json();
    for (const schema of [
      softwareSchema,
      collectionSchema(missingKbSchema),
      collectionSchema(softwareSchema),
    ]) {
      expect(() => parseResponse(schema, body, 'software.get')).toThrow(DefenderError);
    }
  });
});

describe('fault rule validation', () => {
  it.each([
    [{ match: { route: 'software.getMissingKbs' }, fault: { kind: 'hang' } }, 'unknown route'],
    [{ times: 0, fault: { kind: 'hang' } }, 'times'],
    [{ fault: { kind: 'status', status: 200 } }, 'status'],
    [{ fault: { kind: 'storm', retryAfterSeconds: 0 } }, 'retryAfterSeconds'],
    [{ fault: { kind: 'latency', ms: -1 } }, 'ms'],
    [{ fault: { kind: 'teapot' } }, 'kind'],
    [{ fault: { kind: 'hang', ms: 5 } }, 'ms'],
  ])('rejects %j', (rule, mentions) => {
    const emulator = createEmulator();
    expect(() => emulator.faults.add(rule as never)).toThrow(RangeError);
    expect(() => emulator.faults.add(rule as never)).toThrow(mentions);
  });

  it('parses EMULATOR_FAULTS as an array or a single rule and names the bad entry', () => {
    const storm = {
      match: { route: 'software.getmissingkbs' },
      fault: { kind: 'storm', retryAfterSeconds: 30 },
    };
    expect(parseFaultRules(JSON.stringify([storm]))).toEqual([storm]);
    expect(parseFaultRules(JSON.stringify(storm))).toEqual([storm]);
    expect(() => parseFaultRules('[{"fault":{"kind":"hang"}},{"fault":{}}]')).toThrow('EMULATOR_FAULTS[1]');
    expect(() => parseFaultRules('{nope')).toThrow('EMULATOR_FAULTS is not JSON');
  });
});
