/**
 * Pieces of the msal `Configuration` that do not depend on the authority: the credential and the logger bridge.
 */
import { type Configuration, LogLevel, type NodeSystemOptions } from '@azure/msal-node';
import { loadCertificate, toMsalClientCertificate } from './certificate.js';
import { TokenAcquisitionError } from './token-provider.js';

/** pino-compatible subset. Only secret-free objects are logged (never tokens, secrets or keys). */
export interface AuthLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

/** The app's credential. */
export type ClientCredential =
  | { kind: 'secret'; secret: string }
  /** PEM file holding the certificate AND the private key (possibly encrypted with `password`). */
  | { kind: 'certificate'; pemPath: string; password?: string };

/** A credential ready for msal, with what must be scrubbed from messages and a log-safe label. */
export interface PreparedCredential {
  auth: Pick<Configuration['auth'], 'clientSecret' | 'clientCertificate'>;
  /** Values that must never appear in error messages. */
  secrets: string[];
  /** e.g. "client secret" or "certificate 1a2b3c4d… (CN=app)". */
  label: string;
}

/**
 * Validates a secret or loads a certificate (synchronously, so bad files fail at startup).
 * @param credential - secret or certificate file
 * @param logger - warned about an expired certificate
 * @throws TokenAcquisitionError TOKEN_CONFIG_INVALID, CertificateError
 */
export function prepareCredential(credential: ClientCredential, logger?: AuthLogger): PreparedCredential {
  if (credential.kind === 'secret') {
    if (!credential.secret) throw new TokenAcquisitionError('TOKEN_CONFIG_INVALID', 'client secret is empty');
    return {
      auth: { clientSecret: credential.secret },
      secrets: [credential.secret],
      label: 'client secret',
    };
  }
  const cert = loadCertificate(credential.pemPath, credential.password);
  if (cert.notAfter.getTime() < Date.now()) {
    // Entra rejects expired certificates; say so up front rather than via an opaque AADSTS error later.
    logger?.warn(
      { notAfter: cert.notAfter.toISOString(), subject: cert.subject },
      'Client certificate has expired',
    );
  }
  return {
    auth: { clientCertificate: toMsalClientCertificate(cert) },
    secrets: credential.password ? [credential.password] : [],
    label: `certificate ${cert.thumbprintSha256.slice(0, 8)}… (${cert.subject.replaceAll('\n', ', ')})`,
  };
}

/**
 * msal logging: no PII, and only warnings/errors, forwarded to our logger as warnings (msal's info/verbose output is
 * noise for operators).
 * @param logger - destination; without one msal logs nothing
 */
export function msalLoggerOptions(
  logger: AuthLogger | undefined,
): NonNullable<NodeSystemOptions['loggerOptions']> {
  return {
    piiLoggingEnabled: false,
    logLevel: logger ? LogLevel.Warning : LogLevel.Error,
    loggerCallback: (level: LogLevel, message: string, containsPii: boolean) => {
      if (!logger || containsPii || level > LogLevel.Warning) return;
      logger.warn({ msalLevel: LogLevel[level], msal: message }, 'msal');
    },
  };
}
