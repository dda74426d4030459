/** Public surface of token acquisition. */
export { CertificateError, type CertificateErrorReason, loadCertificate } from './certificate.js';
export type { AuthLogger, ClientCredential } from './msal-config.js';
export { createMsalTokenProvider, type MsalProviderOptions } from './msal-provider.js';
export {
  createStaticTokenProvider,
  type GetTokenOptions,
  TokenAcquisitionError,
  type TokenErrorCode,
  type TokenProvider,
} from './token-provider.js';
