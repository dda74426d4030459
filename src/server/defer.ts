import { useDeferStream } from '@graphql-yoga/plugin-defer-stream';
import type { GraphQLError } from 'graphql';
import { createGraphQLError, handleStreamOrSingleExecutionResult, type Plugin } from 'graphql-yoga';
import { maskError } from './errors.js';

/** Yoga's message for masked errors (its `maskedErrors.errorMessage` default, which the app keeps). */
const MASKED_MESSAGE = 'Unexpected error.';

interface IncrementalPayload {
  errors?: readonly GraphQLError[];
  [key: string]: unknown;
}

/**
 * One incremental error as a top-level one would be sent: masked, and without yoga's internal `http`
 * and `unexpected` extensions, which yoga strips only from top-level errors when serialising.
 */
function maskIncremental(error: GraphQLError): GraphQLError {
  const masked = maskError(error, MASKED_MESSAGE) as GraphQLError;
  const { http: _http, unexpected: _unexpected, ...extensions } = masked.extensions ?? {};
  return createGraphQLError(masked.message, {
    nodes: masked.nodes,
    source: masked.source,
    positions: masked.positions,
    path: masked.path,
    extensions,
  });
}

/**
 * Masks the errors inside `incremental` payloads of @defer/@stream results. Yoga's error masking only
 * rewrites a result's top-level `errors`; without this, an error in a deferred fragment or a streamed
 * item would reach the client unmasked (raw message, no `extensions.code`).
 */
export function useMaskedIncrementalErrors(): Plugin {
  return {
    onExecute: () => ({
      onExecuteDone: (payload) =>
        handleStreamOrSingleExecutionResult(payload, ({ result, setResult }) => {
          const incremental = (result as { incremental?: IncrementalPayload[] }).incremental;
          if (!incremental?.some((item) => item.errors?.length)) return;
          setResult({
            ...result,
            incremental: incremental.map((item) =>
              item.errors ? { ...item, errors: item.errors.map(maskIncremental) } : item,
            ),
          } as typeof result);
        }),
    }),
  };
}

/**
 * The @defer/@stream support of the app: yoga's plugin (directives, validation rules, multipart and
 * SSE delivery) plus masking of errors in incremental payloads. A client gets the list first and slow
 * upstream fields as they arrive; what a field costs upstream does not change.
 */
export function deferStreamPlugins(): Plugin[] {
  return [useDeferStream(), useMaskedIncrementalErrors()];
}
