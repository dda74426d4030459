import { describe, expect, it } from 'vitest';
import { mapMsalError } from '../../src/auth/msal-errors.js';
import { createStaticTokenProvider, TokenAcquisitionError } from '../../src/auth/token-provider.js';

const SECRET = 'the-secret-value';
const ctx = { authority: 'https://login.microsoftonline.com', secrets: [SECRET] };

/** Shape of msal's ServerError as observed with msal-node 7.2.3. */
function serverError(errorCode: string, errorMessage: string, extra: Record<string, unknown> = {}) {
  return Object.assign(new Error(`${errorCode}: ${errorMessage}`), {
    errorCode,
    errorMessage,
    subError: '',
    ...extra,
  });
}

describe('mapMsalError', () => {
  it('maps invalid_client to TOKEN_INVALID_CLIENT, keeping AADSTS numbers and dropping the upstream text', () => {
    const upstream = `Error(s): 7000215 - Description: AADSTS7000215: Invalid client secret provided. Ensure the secret being sent is the value, not the ID ${SECRET}`;
    const err = mapMsalError(serverError('invalid_client', upstream, { status: 401, errorNo: 7000215 }), ctx);
    expect(err).toMatchObject({
      code: 'TOKEN_INVALID_CLIENT',
      aadstsCodes: [7000215],
      status: 401,
      upstreamError: 'invalid_client',
    });
    expect(err.message).toBe(
      'Token request to https://login.microsoftonline.com failed: invalid_client HTTP 401 [AADSTS7000215: invalid client secret]',
    );
    expect(err.message).not.toContain(SECRET);
  });

  it('maps unauthorized_client (unknown app) to TOKEN_INVALID_CLIENT', () => {
    const err = mapMsalError(serverError('unauthorized_client', 'AADSTS700016: Application not found'), ctx);
    expect(err.code).toBe('TOKEN_INVALID_CLIENT');
    expect(err.message).toContain('AADSTS700016: application not found in the tenant');
  });

  it('maps network_error to TOKEN_AUTHORITY_UNREACHABLE with the failed URL and reason', () => {
    const err = mapMsalError(
      serverError('network_error', 'See https://aka.ms/msal.js.errors#network_error'),
      {
        ...ctx,
        lastFailure: { url: 'https://login.microsoftonline.com/t/oauth2/v2.0/token', reason: 'ENOTFOUND' },
      },
    );
    expect(err.code).toBe('TOKEN_AUTHORITY_UNREACHABLE');
    expect(err.message).toBe(
      'Authority unreachable: https://login.microsoftonline.com/t/oauth2/v2.0/token (ENOTFOUND)',
    );
  });

  it('recognizes msal’s local throttling error and never echoes odd upstream error codes', () => {
    const throttled = mapMsalError(serverError('50000', 'AADSTS50000: There was an error'), ctx);
    expect(throttled).toMatchObject({
      code: 'TOKEN_FAILED',
      upstreamError: 'throttled',
      aadstsCodes: [50000],
    });
    const odd = mapMsalError(serverError(`weird code with ${SECRET}`, ''), ctx);
    expect(odd.upstreamError).toBe('unknown_error');
    expect(odd.message).not.toContain(SECRET);
  });

  it('wraps non-msal errors as TOKEN_FAILED, scrubbing secrets, and passes TokenAcquisitionError through', () => {
    const err = mapMsalError(new TypeError(`bad thing near ${SECRET}`), ctx);
    expect(err.code).toBe('TOKEN_FAILED');
    expect(err.message).toBe('Token acquisition failed: TypeError: bad thing near [redacted]');
    const own = new TokenAcquisitionError('TOKEN_EMPTY', 'x');
    expect(mapMsalError(own, ctx)).toBe(own);
  });
});

describe('createStaticTokenProvider', () => {
  it('returns the callback’s token each call and reports an empty one as TOKEN_EMPTY', async () => {
    let current = 'tok-1';
    const tokens = createStaticTokenProvider(() => current, 'demo emulator token');
    expect(tokens.description).toBe('demo emulator token');
    expect(await tokens.getToken()).toBe('tok-1');
    current = 'tok-2';
    expect(await tokens.getToken({ forceRefresh: true })).toBe('tok-2');
    current = '';
    await expect(tokens.getToken()).rejects.toMatchObject({ code: 'TOKEN_EMPTY' });
    await expect(tokens.getToken({ signal: AbortSignal.abort() })).rejects.toMatchObject({
      name: 'AbortError',
    });
  });
});
