import type { DefenderErrorBody } from '../defender/types.js';

/** Defender error codes the emulator answers with (defender-api.md §6.2, plus 405 which Defender leaves open). */
export type ErrorCode =
  | 'BadRequest'
  | 'ODataError'
  | 'Unauthorized'
  | 'Forbidden'
  | 'NotFound'
  | 'ResourceNotFound'
  | 'MethodNotAllowed'
  | 'TooManyRequests'
  | 'InternalServerError';

const STATUS: Record<ErrorCode, number> = {
  BadRequest: 400,
  ODataError: 400,
  Unauthorized: 401,
  Forbidden: 403,
  NotFound: 404,
  ResourceNotFound: 404,
  MethodNotAllowed: 405,
  TooManyRequests: 429,
  InternalServerError: 500,
};

/** Thrown anywhere in request handling; app.ts turns it into the documented error body. */
export class EmulatorError extends Error {
  readonly status: number;

  /**
   * @param code Defender error code; also decides the HTTP status.
   * @param message free text, as Defender's messages are.
   * @param headers extra response headers, e.g. `Retry-After` or `Allow`.
   */
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'EmulatorError';
    this.status = STATUS[code];
  }
}

/** `{"error":{"code","message","target"}}` with a fresh GUID target, as every Defender error carries. */
export function errorResponse(error: EmulatorError): Response {
  const body: DefenderErrorBody = {
    error: { code: error.code, message: error.message, target: crypto.randomUUID() },
  };
  return new Response(JSON.stringify(body), {
    status: error.status,
    headers: { 'content-type': 'application/json', ...error.headers },
  });
}

/** A 200 OData JSON response. */
export function jsonResponse(body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status: 200,
    headers: { 'content-type': 'application/json; odata.metadata=minimal; charset=utf-8' },
  });
}
