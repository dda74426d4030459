/**
 * Loads a certificate credential (one PEM file holding the certificate chain AND the private key, the key
 * possibly encrypted) into the shape msal-node 7 expects for `auth.clientCertificate`.
 *
 * msal signs the client assertion with `jsonwebtoken` (PS256 when given a SHA-256 thumbprint), which needs an
 * RSA key as an unencrypted PEM, so we decrypt once here with node:crypto and hand over PKCS#8.
 */
import { createPrivateKey, type KeyObject, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { TokenAcquisitionError } from './token-provider.js';

/** Why a certificate credential could not be loaded. */
export type CertificateErrorReason =
  | 'FILE_UNREADABLE'
  | 'NO_CERTIFICATE'
  | 'NO_PRIVATE_KEY'
  | 'BAD_PASSWORD'
  | 'UNSUPPORTED_KEY'
  | 'KEY_MISMATCH';

/**
 * Certificate loading failure (code TOKEN_CERTIFICATE_INVALID). Messages name the file and the problem but
 * never include key material or the password.
 */
export class CertificateError extends TokenAcquisitionError {
  override readonly name = 'CertificateError';

  /**
   * @param reason - specific failure
   * @param message - secret-free message
   */
  constructor(
    readonly reason: CertificateErrorReason,
    message: string,
  ) {
    super('TOKEN_CERTIFICATE_INVALID', message);
  }
}

/** A parsed certificate credential. */
export interface LoadedCertificate {
  /** Hex SHA-256 thumbprint of the leaf certificate (sent as `x5t#S256`). */
  thumbprintSha256: string;
  /** Unencrypted PKCS#8 PEM of the private key. Keep in memory only; never log. */
  privateKeyPem: string;
  /** PEM of the chain, leaf first (sent as `x5c`, enabling Subject Name/Issuer authentication). */
  chainPem: string;
  subject: string;
  /** Expiry of the leaf certificate. */
  notAfter: Date;
}

/** The `auth.clientCertificate` value of msal-node 7. */
export interface MsalClientCertificate {
  thumbprintSha256: string;
  privateKey: string;
  x5c: string;
}

const CERT_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;
const KEY_BLOCK = /-----BEGIN ((?:ENCRYPTED |RSA |EC )?PRIVATE KEY)-----[\s\S]+?-----END \1-----/;

/**
 * Reads and parses a PEM file holding certificate(s) and a private key.
 * @param pemPath - path of the PEM file
 * @param password - passphrase of an encrypted key
 * @throws CertificateError
 */
export function loadCertificate(pemPath: string, password?: string): LoadedCertificate {
  let pem: string;
  try {
    pem = readFileSync(pemPath, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'unknown error';
    throw new CertificateError('FILE_UNREADABLE', `Cannot read certificate file ${pemPath} (${code})`);
  }
  return parseCertificatePem(pem, password, pemPath);
}

/**
 * Parses PEM text holding certificate(s) and a private key.
 * @param pem - PEM text
 * @param password - passphrase of an encrypted key
 * @param source - name used in error messages (a path, never the content)
 * @throws CertificateError
 */
export function parseCertificatePem(
  pem: string,
  password?: string,
  source = 'certificate PEM',
): LoadedCertificate {
  const certs = parseCertificates(pem, source);
  const key = parsePrivateKey(pem, password, source);
  // The leaf is the certificate matching the key; the rest of the chain keeps its file order.
  const leafIndex = certs.findIndex((cert) => cert.checkPrivateKey(key));
  const leaf = certs[leafIndex];
  if (!leaf) {
    throw new CertificateError(
      'KEY_MISMATCH',
      `The private key in ${source} does not belong to any certificate in it`,
    );
  }
  const chain = [leaf, ...certs.filter((_, i) => i !== leafIndex)];
  return {
    thumbprintSha256: leaf.fingerprint256.replaceAll(':', '').toLowerCase(),
    privateKeyPem: key.export({ type: 'pkcs8', format: 'pem' }).toString(),
    chainPem: chain.map((cert) => cert.toString()).join(''),
    subject: leaf.subject,
    notAfter: new Date(leaf.validTo),
  };
}

/**
 * Converts a loaded certificate to msal-node's `clientCertificate` (SHA-256 thumbprint, PKCS#8 key, x5c chain).
 * @param cert - result of {@link loadCertificate}
 */
export function toMsalClientCertificate(cert: LoadedCertificate): MsalClientCertificate {
  return { thumbprintSha256: cert.thumbprintSha256, privateKey: cert.privateKeyPem, x5c: cert.chainPem };
}

function parseCertificates(pem: string, source: string): X509Certificate[] {
  const blocks = pem.match(CERT_BLOCK) ?? [];
  if (blocks.length === 0) {
    throw new CertificateError('NO_CERTIFICATE', `No "BEGIN CERTIFICATE" block found in ${source}`);
  }
  return blocks.map((block, i) => {
    try {
      return new X509Certificate(block);
    } catch {
      throw new CertificateError(
        'NO_CERTIFICATE',
        `Certificate block #${i + 1} in ${source} is not a valid X.509 certificate`,
      );
    }
  });
}

function parsePrivateKey(pem: string, password: string | undefined, source: string): KeyObject {
  const block = KEY_BLOCK.exec(pem)?.[0];
  if (!block) {
    throw new CertificateError('NO_PRIVATE_KEY', `No "BEGIN PRIVATE KEY" block found in ${source}`);
  }
  // PKCS#8 "ENCRYPTED PRIVATE KEY" or legacy OpenSSL "Proc-Type: 4,ENCRYPTED" headers.
  const encrypted = block.includes('ENCRYPTED');
  if (encrypted && !password) {
    throw new CertificateError(
      'BAD_PASSWORD',
      `The private key in ${source} is encrypted but no password was given`,
    );
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: block, format: 'pem', ...(encrypted ? { passphrase: password } : {}) });
  } catch {
    // node's message is generic ("bad decrypt"); never echo the password or key.
    if (encrypted)
      throw new CertificateError(
        'BAD_PASSWORD',
        `Cannot decrypt the private key in ${source}: wrong password`,
      );
    throw new CertificateError('NO_PRIVATE_KEY', `The private key in ${source} cannot be parsed`);
  }
  if (key.asymmetricKeyType !== 'rsa') {
    // msal signs assertions with PS256/RS256 only.
    throw new CertificateError(
      'UNSUPPORTED_KEY',
      `The private key in ${source} is ${key.asymmetricKeyType}; only RSA is supported`,
    );
  }
  return key;
}
