/**
 * msal `INetworkModule` over an injectable `fetch`, so every HTTP request msal makes goes through the caller's
 * fetch (tests record URLs; production can add proxies/instrumentation in one place).
 */
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';

/** The last transport failure, kept so the provider can explain msal's bare `network_error`. */
export interface NetworkFailure {
  url: string;
  /** Error name/code only (e.g. "ECONNREFUSED", "TimeoutError"); never a body. */
  reason: string;
}

/** A network module plus access to the last transport failure. */
export interface FetchNetworkClient extends INetworkModule {
  lastFailure(): NetworkFailure | undefined;
}

/**
 * Creates the network module.
 * @param fetchFn - fetch implementation used for every request
 * @param timeoutMs - per-request timeout (msal passes none for token POSTs, so a hung authority would hang us)
 */
export function createFetchNetworkClient(fetchFn: typeof fetch, timeoutMs: number): FetchNetworkClient {
  let failure: NetworkFailure | undefined;

  async function send<T>(
    method: 'GET' | 'POST',
    url: string,
    options: NetworkRequestOptions | undefined,
    timeout?: number,
  ): Promise<NetworkResponse<T>> {
    let response: Response;
    try {
      response = await fetchFn(url, {
        method,
        headers: options?.headers ?? {},
        ...(method === 'POST' ? { body: options?.body ?? '' } : {}),
        signal: AbortSignal.timeout(timeout ?? timeoutMs),
      });
    } catch (err) {
      failure = { url: stripQuery(url), reason: describeTransportError(err) };
      // msal wraps any non-msal error into its own `network_error`; the cause is reported via lastFailure().
      throw err;
    }
    failure = undefined;
    const headers: Record<string, string> = {};
    response.headers.forEach((value, key) => {
      headers[key] = value;
    });
    return { headers, body: (await readBody(response)) as T, status: response.status };
  }

  return {
    sendGetRequestAsync: (url, options, timeout) => send('GET', url, options, timeout),
    sendPostRequestAsync: (url, options) => send('POST', url, options),
    lastFailure: () => failure,
  };
}

/**
 * Parses the JSON body. A non-JSON error page (proxy 502, HTML 404) becomes an OAuth-shaped error so msal reports
 * it as a server error instead of mistaking an empty object for a token response.
 */
async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  try {
    const parsed: unknown = JSON.parse(text);
    if (response.ok || (typeof parsed === 'object' && parsed !== null && 'error' in parsed)) return parsed;
  } catch {
    // fall through
  }
  if (response.ok) return {};
  return {
    error: `http_${response.status}`,
    error_description: `HTTP ${response.status} without an OAuth error body`,
  };
}

function describeTransportError(err: unknown): string {
  if (!(err instanceof Error)) return 'unknown error';
  const cause = err.cause as { code?: string } | undefined;
  return cause?.code ?? err.name;
}

function stripQuery(url: string): string {
  const index = url.indexOf('?');
  return index === -1 ? url : url.slice(0, index);
}
