import { execFileSync } from 'node:child_process';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CertificateError,
  parseCertificatePem,
  toMsalClientCertificate,
} from '../../src/auth/certificate.js';
import { generateTestCertificate, type TestCertificate } from '../helpers/certs.js';

const PASSWORD = 'k3y-pa55word';
let plain: TestCertificate;
let encrypted: TestCertificate;
let other: TestCertificate;

beforeAll(async () => {
  [plain, encrypted, other] = await Promise.all([
    generateTestCertificate({ commonName: 'unit-plain' }),
    generateTestCertificate({ commonName: 'unit-encrypted', password: PASSWORD }),
    generateTestCertificate({ commonName: 'unit-other' }),
  ]);
});
afterAll(async () => {
  await Promise.all([plain, encrypted, other].map((c) => c?.cleanup()));
});

function failure(pem: string, password?: string): CertificateError {
  try {
    parseCertificatePem(pem, password, 'test.pem');
  } catch (err) {
    expect(err).toBeInstanceOf(CertificateError);
    const e = err as CertificateError;
    expect(e.code).toBe('TOKEN_CERTIFICATE_INVALID');
    expect(e.message).not.toMatch(/-----|MII/);
    if (password) expect(e.message).not.toContain(password);
    return e;
  }
  throw new Error('expected a CertificateError');
}

describe('parseCertificatePem', () => {
  it('yields the SHA-256 thumbprint openssl reports, an unencrypted PKCS#8 key and the x5c chain', () => {
    const cert = parseCertificatePem(plain.combinedPem);
    const fingerprint = execFileSync(
      'openssl',
      ['x509', '-in', plain.certPath, '-noout', '-fingerprint', '-sha256'],
      {
        encoding: 'utf8',
      },
    );
    expect(cert.thumbprintSha256).toBe(fingerprint.split('=')[1]?.trim().replaceAll(':', '').toLowerCase());
    expect(cert.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(new X509Certificate(cert.chainPem).checkPrivateKey(createPrivateKey(cert.privateKeyPem))).toBe(
      true,
    );
    expect(cert.subject).toBe('CN=unit-plain');
    expect(cert.notAfter.getTime()).toBeGreaterThan(Date.now());
    expect(toMsalClientCertificate(cert)).toEqual({
      thumbprintSha256: cert.thumbprintSha256,
      privateKey: cert.privateKeyPem,
      x5c: cert.chainPem,
    });
  });

  it('decrypts an encrypted key with the password; the key may come before the certificate', () => {
    const reordered = `${encrypted.keyPem}\n${encrypted.certPem}`;
    const cert = parseCertificatePem(reordered, PASSWORD);
    expect(cert.privateKeyPem).toContain('BEGIN PRIVATE KEY');
    expect(cert.subject).toBe('CN=unit-encrypted');
  });

  it('puts the leaf (the certificate matching the key) first in the chain', () => {
    const pem = `${other.certPem}${plain.certPem}${plain.keyPem}`;
    const cert = parseCertificatePem(pem);
    expect(cert.subject).toBe('CN=unit-plain');
    const blocks = cert.chainPem.match(/-----BEGIN CERTIFICATE-----/g);
    expect(blocks).toHaveLength(2);
    expect(new X509Certificate(cert.chainPem).subject).toBe('CN=unit-plain');
  });

  it('classifies broken inputs', () => {
    expect(failure(plain.keyPem).reason).toBe('NO_CERTIFICATE');
    expect(failure(plain.certPem).reason).toBe('NO_PRIVATE_KEY');
    expect(failure(`${other.certPem}${plain.keyPem}`).reason).toBe('KEY_MISMATCH');
    expect(failure(encrypted.combinedPem).reason).toBe('BAD_PASSWORD');
    expect(failure(encrypted.combinedPem, 'wrong-password').reason).toBe('BAD_PASSWORD');
    expect(
      failure(`-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n${plain.keyPem}`)
        .reason,
    ).toBe('NO_CERTIFICATE');
  });
});
