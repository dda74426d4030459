/**
 * Test helper: self-signed certificates for the certificate-credential flow, generated with the openssl CLI
 * (no extra npm dependency and the same PEM shapes a real operator would produce).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** Options for {@link generateTestCertificate}. */
export interface TestCertificateOptions {
  /** Subject common name; defaults to "tvm-graphql-test". */
  commonName?: string;
  /** When set, the private key is written encrypted (PKCS#8, AES-256) with this password. */
  password?: string;
}

/** Paths and PEM text of a generated certificate. Call `cleanup()` when done. */
export interface TestCertificate {
  /** Temp directory holding all files. */
  dir: string;
  /** PEM with only the certificate. */
  certPath: string;
  /** PEM with only the private key (encrypted when a password was given). */
  keyPath: string;
  /** PEM holding the certificate AND the key — the shape `ClientCredential.pemPath` expects. */
  combinedPath: string;
  certPem: string;
  keyPem: string;
  combinedPem: string;
  /** The key password, when the key is encrypted. */
  password?: string;
  /** Removes the temp directory. */
  cleanup(): Promise<void>;
}

/**
 * Generates a self-signed RSA-2048 certificate and key into a fresh temp directory.
 * @param options - subject and optional key password
 */
export async function generateTestCertificate(
  options: TestCertificateOptions = {},
): Promise<TestCertificate> {
  const dir = await mkdtemp(join(tmpdir(), 'tvm-cert-'));
  const certPath = join(dir, 'cert.pem');
  const keyPath = join(dir, 'key.pem');
  const combinedPath = join(dir, 'combined.pem');
  // The password goes through a `pass:` argument: acceptable for throwaway test keys only.
  const keyProtection = options.password ? ['-passout', `pass:${options.password}`] : ['-nodes'];
  await execFileAsync('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    ...keyProtection,
    '-keyout',
    keyPath,
    '-out',
    certPath,
    '-days',
    '2',
    '-subj',
    `/CN=${options.commonName ?? 'tvm-graphql-test'}`,
  ]);
  const certPem = await readFile(certPath, 'utf8');
  const keyPem = await readFile(keyPath, 'utf8');
  const combinedPem = `${certPem.trimEnd()}\n${keyPem}`;
  await writeFile(combinedPath, combinedPem, { mode: 0o600 });
  return {
    dir,
    certPath,
    keyPath,
    combinedPath,
    certPem,
    keyPem,
    combinedPem,
    ...(options.password ? { password: options.password } : {}),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}
