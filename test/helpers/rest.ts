import { createEmulator, demoTokenClaims, mintUnsignedToken } from '../../src/emulator/index.js';

/** A REST answer as the tests compare it: status plus the parsed body. */
export interface RestResult<T> {
  status: number;
  body: T;
}

/**
 * Reads the emulator's REST API directly with a demo token, from an emulator of its own (same cached
 * demo dataset), so reference reads never show up in the call log of the app under test.
 */
export function createRestReference() {
  const emulator = createEmulator();
  const token = mintUnsignedToken(demoTokenClaims());
  async function get<T = unknown>(path: string): Promise<RestResult<T>> {
    const response = await emulator.fetch(
      new Request(`https://api.security.microsoft.com/api/${path}`, {
        headers: { authorization: `Bearer ${token}` },
      }),
    );
    return { status: response.status, body: (await response.json()) as T };
  }
  /** The `value` array of an OData collection; throws on any other status than 200. */
  async function list<T>(path: string): Promise<T[]> {
    const result = await get<{ value: T[] }>(path);
    if (result.status !== 200) throw new Error(`GET ${path} answered ${result.status}`);
    return result.body.value;
  }
  /** A single entity without its `@odata.context`; throws on any other status than 200. */
  async function entity<T>(path: string): Promise<T> {
    const result = await get<T & { '@odata.context'?: string }>(path);
    if (result.status !== 200) throw new Error(`GET ${path} answered ${result.status}`);
    const { '@odata.context': _context, ...rest } = result.body;
    return rest as T;
  }
  return { emulator, get, list, entity };
}
