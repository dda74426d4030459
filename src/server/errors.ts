import { GraphQLError } from 'graphql';
import { maskError as yogaMaskError } from 'graphql-yoga';
import { TokenAcquisitionError } from '../auth/token-provider.js';
import { DefenderError } from '../defender/errors.js';

/** HTTP status a client would expect for a code, used when the error fails the whole request. */
const HTTP_STATUS: Partial<Record<DefenderError['code'], number>> = { BAD_USER_INPUT: 400 };

/** Safe extensions of a Defender failure: our code plus Defender's stable code and correlation id. */
function extensionsOf(error: DefenderError): Record<string, unknown> {
  const { upstreamCode, target, status, retryAfterSeconds } = error.details;
  return {
    code: error.code,
    ...(upstreamCode ? { upstreamCode } : {}),
    ...(status ? { upstreamStatus: status } : {}),
    ...(target ? { upstreamTarget: target } : {}),
    ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
    ...(HTTP_STATUS[error.code] ? { http: { status: HTTP_STATUS[error.code] } } : {}),
  };
}

/** Converts a known failure into the GraphQL error clients see; unknown errors become undefined. */
function known(original: unknown): { message: string; extensions: Record<string, unknown> } | undefined {
  if (original instanceof DefenderError)
    return { message: original.message, extensions: extensionsOf(original) };
  if (original instanceof TokenAcquisitionError) {
    return {
      message: 'Could not obtain an access token for Defender; check the app registration and credentials',
      extensions: { code: 'UPSTREAM_UNAUTHORIZED', reason: original.code },
    };
  }
  return undefined;
}

function isWrapper(error: unknown): error is { originalError: unknown } {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { originalError?: unknown }).originalError != null
  );
}

function isLocated(error: unknown): error is GraphQLError {
  return error instanceof Error && 'path' in error && 'locations' in error;
}

/**
 * Yoga's error mask with our typed failures let through. Expected failures keep their code and a
 * message we wrote; everything else is "Unexpected error." with no original error attached, even in
 * development, so no upstream body, token or stack reaches a client.
 */
export function maskError(error: unknown, message: string): Error {
  // The cause is innermost. Errors are unwrapped by shape, not `instanceof GraphQLError`: graphql is
  // loaded both as ESM and as CommonJS (through @apollo/subgraph), so two GraphQLError classes exist.
  let original: unknown = error;
  while (isWrapper(original)) original = original.originalError;
  const mapped = known(original);
  if (!mapped) return yogaMaskError(error, message, false);
  const at = isLocated(error) ? error : undefined;
  return new GraphQLError(mapped.message, {
    nodes: at?.nodes,
    source: at?.source,
    positions: at?.positions,
    path: at?.path,
    extensions: mapped.extensions,
  });
}
