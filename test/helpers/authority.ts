/**
 * Test fixture: a local Entra-style OpenID authority on 127.0.0.1 (node:http, port 0).
 *
 * Serves the v2 discovery document, the JWKS, and the v2 (`scope`) and v1 (`resource`) token endpoints for the
 * client-credentials grant with a client secret or a certificate-signed client assertion. Issued access tokens
 * are RS256 JWTs whose public key is served at `jwks_uri`, so other tests can validate them. Errors use the
 * Entra body shape (`error`, `error_description: 'AADSTSnnn: …'`, `error_codes`).
 */
import { createHash, randomUUID, X509Certificate } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  decodeProtectedHeader,
  exportJWK,
  generateKeyPair,
  importX509,
  type JWK,
  jwtVerify,
  SignJWT,
} from 'jose';

/** A registered application. Without `clients`, any client id with any non-empty secret is accepted. */
export interface LocalClient {
  secret?: string;
  /** Certificate PEM whose key must sign the client assertion. */
  certificatePem?: string;
}

/** Options for {@link startLocalAuthority}. */
export interface LocalAuthorityOptions {
  /** Lifetime of issued tokens in seconds (default 3599, like Entra). */
  expiresIn?: number;
  clients?: Record<string, LocalClient>;
  /** `roles` claim of issued app tokens (default Software.Read.All, Vulnerability.Read.All, Machine.Read.All). */
  roles?: string[];
  /** Maps the requested scope/resource to `aud`; default strips a trailing `/.default`. */
  audienceFor?(scope: string): string;
  /** Serve `/.well-known/openid-configuration` (default true); false exercises client-side fallbacks. */
  discovery?: boolean;
  /** Fixed port (default 0 = random); lets a test bring an authority back on the same origin. */
  port?: number;
}

/** A request the authority received. `form` is the decoded urlencoded body (empty for GET). */
export interface RecordedRequest {
  method: string;
  /** Path without the query string (msal appends `?client-request-id=…`). */
  path: string;
  query: Record<string, string>;
  form: Record<string, string>;
}

/** Forced failure of the token endpoints (null = normal behaviour). */
export type AuthorityFailureMode = null | 'invalid_client' | 'no_access_token' | 'server_error';

/** Handle returned by {@link startLocalAuthority}. */
export interface LocalAuthority {
  /** Origin, e.g. http://127.0.0.1:41234 (no trailing slash). */
  url: string;
  requests: RecordedRequest[];
  /** Every access token issued, in order. */
  tokensIssued: string[];
  /** Public JWK of the token-signing key (also served at jwks_uri). */
  signingJwk: JWK;
  setFailure(mode: AuthorityFailureMode): void;
  close(): Promise<void>;
}

const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const DEFAULT_ROLES = ['Software.Read.All', 'Vulnerability.Read.All', 'Machine.Read.All'];

class EntraError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly aadsts: number,
    description: string,
  ) {
    super(description);
  }
}

/**
 * Starts the authority on 127.0.0.1 with a random port.
 * @param options - token lifetime, registered clients, roles, audience mapping, discovery on/off
 */
export async function startLocalAuthority(options: LocalAuthorityOptions = {}): Promise<LocalAuthority> {
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = randomUUID();
  const signingJwk: JWK = { ...(await exportJWK(publicKey)), kid, use: 'sig', alg: 'RS256' };
  const requests: RecordedRequest[] = [];
  const tokensIssued: string[] = [];
  let failure: AuthorityFailureMode = null;
  let url = '';

  const issueToken = async (tenant: string, clientId: string, scope: string): Promise<string> => {
    const expiresIn = options.expiresIn ?? 3599;
    const audience = options.audienceFor ? options.audienceFor(scope) : scope.replace(/\/\.default$/, '');
    const token = await new SignJWT({ roles: options.roles ?? DEFAULT_ROLES, tid: tenant, appid: clientId })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid })
      .setIssuer(`${url}/${tenant}/v2.0`)
      .setAudience(audience)
      .setSubject(clientId)
      .setIssuedAt()
      .setNotBefore('0s')
      .setExpirationTime(`${expiresIn}s`)
      .setJti(randomUUID())
      .sign(privateKey);
    tokensIssued.push(token);
    return token;
  };

  const authenticate = async (form: Record<string, string>, endpoint: string): Promise<string> => {
    const clientId = form.client_id ?? '';
    if (!options.clients) {
      if (!clientId || !form.client_secret) throw new EntraError(400, 'invalid_client', 7000218, 'missing');
      return clientId;
    }
    const client = options.clients[clientId];
    if (!client) {
      throw new EntraError(
        400,
        'unauthorized_client',
        700016,
        `Application with identifier '${clientId}' was not found in the directory.`,
      );
    }
    if (form.client_assertion_type === JWT_BEARER && form.client_assertion && client.certificatePem) {
      await verifyAssertion(form.client_assertion, client.certificatePem, clientId, endpoint);
    } else if (form.client_secret !== undefined && client.secret !== undefined) {
      if (form.client_secret !== client.secret) {
        throw new EntraError(401, 'invalid_client', 7000215, 'Invalid client secret provided.');
      }
    } else {
      throw new EntraError(
        400,
        'invalid_client',
        7000218,
        "The request body must contain 'client_assertion' or 'client_secret'.",
      );
    }
    return clientId;
  };

  const tokenEndpoint = async (tenant: string, path: string, form: Record<string, string>, v1: boolean) => {
    if (failure === 'server_error')
      throw new EntraError(500, 'server_error', 50000, 'There was an error issuing a token.');
    if (failure === 'invalid_client')
      throw new EntraError(401, 'invalid_client', 7000215, 'Invalid client secret provided.');
    if (form.grant_type !== 'client_credentials') {
      throw new EntraError(
        400,
        'unsupported_grant_type',
        70003,
        'The app requested an unsupported grant type.',
      );
    }
    const scope = (v1 ? form.resource : form.scope) ?? '';
    if (!v1 && !/^\S+\/\.default$/.test(scope)) {
      throw new EntraError(
        400,
        'invalid_scope',
        1002012,
        `The provided value for scope ${scope} is not valid.`,
      );
    }
    if (v1 && !scope)
      throw new EntraError(400, 'invalid_request', 900144, "The request body must contain 'resource'.");
    const clientId = await authenticate(form, `${url}${path}`);
    const expiresIn = options.expiresIn ?? 3599;
    const base = { token_type: 'Bearer', expires_in: expiresIn, ext_expires_in: expiresIn };
    if (failure === 'no_access_token') return base;
    return { ...base, access_token: await issueToken(tenant, clientId, scope) };
  };

  const route = async (
    method: string,
    path: string,
    form: Record<string, string>,
  ): Promise<[number, unknown]> => {
    const segments = path.split('/').filter(Boolean);
    const [tenant = '', ...rest] = segments;
    const tail = rest.join('/');
    if (method === 'GET' && tail === 'v2.0/.well-known/openid-configuration' && options.discovery !== false) {
      const base = `${url}/${tenant}`;
      return [
        200,
        {
          issuer: `${base}/v2.0`,
          token_endpoint: `${base}/oauth2/v2.0/token`,
          authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
          jwks_uri: `${base}/discovery/v2.0/keys`,
          end_session_endpoint: `${base}/oauth2/v2.0/logout`,
          response_types_supported: ['code', 'id_token', 'token'],
          token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt'],
        },
      ];
    }
    if (method === 'GET' && (tail === 'discovery/v2.0/keys' || tail === 'discovery/keys')) {
      return [200, { keys: [signingJwk] }];
    }
    if (method === 'POST' && (tail === 'oauth2/v2.0/token' || tail === 'oauth2/token')) {
      return [200, await tokenEndpoint(tenant, path, form, tail === 'oauth2/token')];
    }
    return [404, { error: 'not_found', error_description: `No route for ${method} ${path}` }];
  };

  const server = createServer((req, res) => {
    void handle(req, res);
  });
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const method = req.method ?? 'GET';
    const target = new URL(req.url ?? '/', url);
    const path = target.pathname;
    const body = await readBody(req);
    const form = method === 'POST' ? Object.fromEntries(new URLSearchParams(body)) : {};
    requests.push({ method, path, query: Object.fromEntries(target.searchParams), form });
    try {
      const [status, json] = await route(method, path, form);
      send(res, status, json);
    } catch (err) {
      if (err instanceof EntraError) send(res, err.status, entraErrorBody(err));
      else send(res, 500, { error: 'server_error', error_description: String(err) });
    }
  };

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    requests,
    tokensIssued,
    signingJwk,
    setFailure: (mode) => {
      failure = mode;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

/** Verifies a client assertion like Entra does: signature by the registered cert, aud/iss/sub/exp, thumbprint. */
async function verifyAssertion(assertion: string, certPem: string, clientId: string, endpoint: string) {
  const invalid = (why: string) =>
    new EntraError(401, 'invalid_client', 700027, `Client assertion failed signature validation. ${why}`);
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(assertion);
  } catch {
    throw invalid('Malformed assertion.');
  }
  const alg = header.alg === 'PS256' || header.alg === 'RS256' ? header.alg : undefined;
  if (!alg) throw invalid(`Unsupported alg ${String(header.alg)}.`);
  const der = new X509Certificate(certPem).raw;
  const x5tS256 = createHash('sha256').update(der).digest('base64url');
  const x5t = createHash('sha1').update(der).digest('base64url');
  if (header['x5t#S256'] !== x5tS256 && header.x5t !== x5t) throw invalid('Unknown certificate thumbprint.');
  try {
    const key = await importX509(certPem, alg);
    await jwtVerify(assertion, key, {
      audience: endpoint,
      issuer: clientId,
      subject: clientId,
      requiredClaims: ['exp', 'nbf', 'jti'],
    });
  } catch (err) {
    throw invalid((err as Error).message);
  }
}

function entraErrorBody(err: EntraError) {
  return {
    error: err.error,
    error_description: `AADSTS${err.aadsts}: ${err.message} Trace ID: ${randomUUID()} Correlation ID: ${randomUUID()} Timestamp: ${new Date().toISOString()}`,
    error_codes: [err.aadsts],
    timestamp: new Date().toISOString(),
    trace_id: randomUUID(),
    correlation_id: randomUUID(),
  };
}

function send(res: ServerResponse, status: number, json: unknown) {
  const body = JSON.stringify(json);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(body);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
