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

/** The Entra errors this authority produces: [status, error, AADSTS number, description]. */
const ERRORS = {
  badSecret: [401, 'invalid_client', 7000215, 'Invalid client secret provided.'],
  noCredential: [
    400,
    'invalid_client',
    7000218,
    "The request body must contain 'client_assertion' or 'client_secret'.",
  ],
  unknownApp: [400, 'unauthorized_client', 700016, 'Application was not found in the directory.'],
  grantType: [400, 'unsupported_grant_type', 70003, 'The app requested an unsupported grant type.'],
  scope: [400, 'invalid_scope', 1002012, 'The provided value for scope is not valid.'],
  resource: [400, 'invalid_request', 900144, "The request body must contain 'resource'."],
  server: [500, 'server_error', 50000, 'There was an error issuing a token.'],
} as const;

function entraError(kind: keyof typeof ERRORS): EntraError {
  const [status, error, aadsts, description] = ERRORS[kind];
  return new EntraError(status, error, aadsts, description);
}

type Form = Record<string, string>;

/** State and request handling of one authority instance. */
class AuthorityServer {
  url = '';
  failure: AuthorityFailureMode = null;
  readonly requests: RecordedRequest[] = [];
  readonly tokensIssued: string[] = [];

  constructor(
    private readonly options: LocalAuthorityOptions,
    private readonly signing: { key: CryptoKey; jwk: JWK },
  ) {}

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const target = new URL(req.url ?? '/', this.url);
    const body = await readBody(req);
    const form: Form = method === 'POST' ? Object.fromEntries(new URLSearchParams(body)) : {};
    this.requests.push({
      method,
      path: target.pathname,
      query: Object.fromEntries(target.searchParams),
      form,
    });
    try {
      const [status, json] = await this.route(method, target.pathname, form);
      send(res, status, json);
    } catch (err) {
      if (err instanceof EntraError) send(res, err.status, entraErrorBody(err));
      else send(res, 500, { error: 'server_error', error_description: String(err) });
    }
  }

  private async route(method: string, path: string, form: Form): Promise<[number, unknown]> {
    const [tenant = '', ...rest] = path.split('/').filter(Boolean);
    const tail = rest.join('/');
    if (
      method === 'GET' &&
      tail === 'v2.0/.well-known/openid-configuration' &&
      this.options.discovery !== false
    ) {
      return [200, this.openIdConfiguration(tenant)];
    }
    if (method === 'GET' && (tail === 'discovery/v2.0/keys' || tail === 'discovery/keys')) {
      return [200, { keys: [this.signing.jwk] }];
    }
    if (method === 'POST' && (tail === 'oauth2/v2.0/token' || tail === 'oauth2/token')) {
      return [200, await this.token(tenant, path, form, tail === 'oauth2/token')];
    }
    return [404, { error: 'not_found', error_description: `No route for ${method} ${path}` }];
  }

  private openIdConfiguration(tenant: string) {
    const base = `${this.url}/${tenant}`;
    return {
      issuer: `${base}/v2.0`,
      token_endpoint: `${base}/oauth2/v2.0/token`,
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      jwks_uri: `${base}/discovery/v2.0/keys`,
      end_session_endpoint: `${base}/oauth2/v2.0/logout`,
      response_types_supported: ['code', 'id_token', 'token'],
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt'],
    };
  }

  /** Token endpoint: v2 takes `scope` (must be `<resource>/.default`), v1 takes `resource`. */
  private async token(tenant: string, path: string, form: Form, v1: boolean) {
    if (this.failure === 'server_error') throw entraError('server');
    if (this.failure === 'invalid_client') throw entraError('badSecret');
    if (form.grant_type !== 'client_credentials') throw entraError('grantType');
    const scope = (v1 ? form.resource : form.scope) ?? '';
    if (!v1 && !/^\S+\/\.default$/.test(scope)) throw entraError('scope');
    if (v1 && !scope) throw entraError('resource');
    const clientId = await this.authenticate(form, `${this.url}${path}`);
    const expiresIn = this.options.expiresIn ?? 3599;
    const base = { token_type: 'Bearer', expires_in: expiresIn, ext_expires_in: expiresIn };
    if (this.failure === 'no_access_token') return base;
    return { ...base, access_token: await this.issueToken(tenant, clientId, scope) };
  }

  /** Checks the client secret or the certificate-signed assertion; returns the client id. */
  private async authenticate(form: Form, endpoint: string): Promise<string> {
    const clientId = form.client_id ?? '';
    const clients = this.options.clients;
    if (!clients) {
      if (!clientId || !form.client_secret) throw entraError('noCredential');
      return clientId;
    }
    const client = clients[clientId];
    if (!client) throw entraError('unknownApp');
    if (form.client_assertion_type === JWT_BEARER && form.client_assertion && client.certificatePem) {
      await verifyAssertion(form.client_assertion, client.certificatePem, clientId, endpoint);
    } else if (form.client_secret !== undefined && client.secret !== undefined) {
      if (form.client_secret !== client.secret) throw entraError('badSecret');
    } else {
      throw entraError('noCredential');
    }
    return clientId;
  }

  private async issueToken(tenant: string, clientId: string, scope: string): Promise<string> {
    const { expiresIn = 3599, audienceFor, roles = DEFAULT_ROLES } = this.options;
    const audience = audienceFor ? audienceFor(scope) : scope.replace(/\/\.default$/, '');
    const token = await new SignJWT({ roles, tid: tenant, appid: clientId })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: this.signing.jwk.kid ?? '' })
      .setIssuer(`${this.url}/${tenant}/v2.0`)
      .setAudience(audience)
      .setSubject(clientId)
      .setIssuedAt()
      .setNotBefore('0s')
      .setExpirationTime(`${expiresIn}s`)
      .setJti(randomUUID())
      .sign(this.signing.key);
    this.tokensIssued.push(token);
    return token;
  }
}

/**
 * Starts the authority on 127.0.0.1 (random port unless `options.port`).
 * @param options - token lifetime, registered clients, roles, audience mapping, discovery on/off
 */
export async function startLocalAuthority(options: LocalAuthorityOptions = {}): Promise<LocalAuthority> {
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid: randomUUID(), use: 'sig', alg: 'RS256' };
  const state = new AuthorityServer(options, { key: privateKey, jwk });
  const server = createServer((req, res) => {
    void state.handle(req, res);
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: state.url,
    requests: state.requests,
    tokensIssued: state.tokensIssued,
    signingJwk: jwk,
    setFailure: (mode) => {
      state.failure = mode;
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
      // Like Entra, tolerate clock skew: msal rounds `nbf` to the nearest second, which can be in the future.
      clockTolerance: 300,
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
