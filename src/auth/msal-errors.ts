/**
 * Maps msal errors to {@link TokenAcquisitionError} with messages we compose ourselves: msal's messages embed
 * the authority's `error_description` verbatim, so only the OAuth error code and AADSTS numbers are carried over.
 */
import type { NetworkFailure } from './fetch-network-client.js';
import { TokenAcquisitionError, type TokenErrorCode } from './token-provider.js';

/** Context for {@link mapMsalError}. */
export interface MsalErrorContext {
  /** Secret-free authority description for the message (e.g. https://login.microsoftonline.com). */
  authority: string;
  /** Last transport failure seen by the network client, if any. */
  lastFailure?: NetworkFailure | undefined;
  /** Values that must never appear in a message (secret, password); removed defensively. */
  secrets: readonly string[];
}

/** Short explanations of common AADSTS codes, to save operators a web search. */
const AADSTS_HINTS: Record<number, string> = {
  7000215: 'invalid client secret',
  7000222: 'client secret expired',
  7000218: 'no client credential sent',
  700016: 'application not found in the tenant',
  700027: 'client assertion signature invalid (certificate not registered on the app?)',
  90002: 'tenant not found',
  900023: 'tenant id is invalid',
  1002012: 'scope must be "<resource>/.default" for client credentials',
  500011: 'resource (scope) not found in the tenant',
  50000: 'authority-side error',
};

const INVALID_CLIENT_ERRORS = new Set(['invalid_client', 'unauthorized_client']);

/**
 * Converts anything thrown by msal (or our code around it) to a sanitized TokenAcquisitionError.
 * @param err - the thrown value
 * @param context - authority description, last network failure, secrets to scrub
 */
export function mapMsalError(err: unknown, context: MsalErrorContext): TokenAcquisitionError {
  if (err instanceof TokenAcquisitionError) return err;
  const fields = readMsalFields(err);
  if (!fields) {
    const text = err instanceof Error ? `${err.name}: ${err.message}` : 'non-error value thrown';
    return new TokenAcquisitionError(
      'TOKEN_FAILED',
      scrub(`Token acquisition failed: ${text}`, context.secrets),
    );
  }
  if (fields.errorCode === 'network_error') {
    const failure = context.lastFailure;
    const where = failure ? `${failure.url} (${failure.reason})` : context.authority;
    return new TokenAcquisitionError('TOKEN_AUTHORITY_UNREACHABLE', `Authority unreachable: ${where}`, {
      upstreamError: 'network_error',
    });
  }
  const aadsts = collectAadsts(fields);
  // After a 429/5xx msal throttles locally and rethrows the cached error with the AADSTS numbers as its code.
  const throttled = /^\d+( \d+)*$/.test(fields.errorCode);
  const upstreamError = throttled ? 'throttled' : safeToken(fields.errorCode);
  const code: TokenErrorCode = INVALID_CLIENT_ERRORS.has(upstreamError)
    ? 'TOKEN_INVALID_CLIENT'
    : 'TOKEN_FAILED';
  const codes = aadsts.map((n) => (AADSTS_HINTS[n] ? `AADSTS${n}: ${AADSTS_HINTS[n]}` : `AADSTS${n}`));
  const status = fields.status ? ` HTTP ${fields.status}` : '';
  const suffix = throttled ? ' (msal holds back retries for up to 60 s after a server error)' : '';
  const message = `Token request to ${context.authority} failed: ${upstreamError}${status}${codes.length ? ` [${codes.join('; ')}]` : ''}${suffix}`;
  return new TokenAcquisitionError(code, scrub(message, context.secrets), {
    upstreamError,
    aadstsCodes: aadsts,
    ...(fields.status ? { status: fields.status } : {}),
  });
}

interface MsalFields {
  errorCode: string;
  errorMessage: string;
  status?: number;
  errorNo?: number;
}

/** msal errors (AuthError and subclasses) carry `errorCode`; duck-typed so msal-common internals stay private. */
function readMsalFields(err: unknown): MsalFields | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as Record<string, unknown>;
  if (typeof e.errorCode !== 'string') return undefined;
  const errorNo = Number(e.errorNo);
  return {
    errorCode: e.errorCode,
    errorMessage: typeof e.errorMessage === 'string' ? e.errorMessage : '',
    ...(typeof e.status === 'number' ? { status: e.status } : {}),
    ...(Number.isInteger(errorNo) && errorNo > 0 ? { errorNo } : {}),
  };
}

function collectAadsts(fields: MsalFields): number[] {
  const found = new Set<number>();
  if (fields.errorNo) found.add(fields.errorNo);
  for (const match of fields.errorMessage.matchAll(/AADSTS(\d{4,9})/g)) found.add(Number(match[1]));
  for (const part of fields.errorCode.split(' ')) if (/^\d{4,9}$/.test(part)) found.add(Number(part));
  return [...found];
}

/** OAuth error codes are short tokens; anything else is not echoed. */
function safeToken(value: string): string {
  return /^[\w.-]{1,64}$/.test(value) ? value : 'unknown_error';
}

function scrub(message: string, secrets: readonly string[]): string {
  let out = message;
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join('[redacted]');
  return out;
}
