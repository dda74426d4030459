import { describe, expect, it } from 'vitest';
import { assertChromiumInstalled, browserSkipReason, isLocalUrl } from '../helpers/browser.js';

/** The pure parts of the browser helper; these run even where Chromium is not installed. */
describe('browser test helpers', () => {
  it.each([
    'http://127.0.0.1:4000/graphql',
    'http://localhost:4000/',
    'http://[::1]:4000/graphql',
    'ws://127.0.0.1:4000/graphql',
    'blob:http://127.0.0.1:4000/67fbe02e-cf08-4ca5-8f81-cb7ef3a72dc5',
    'data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=',
    'about:blank',
  ])('treats %s as local', (url) => {
    expect(isLocalUrl(url)).toBe(true);
  });

  it.each([
    'https://unpkg.com/@graphql-yoga/graphiql@4.5.1/dist/graphiql.css',
    'https://raw.githubusercontent.com/graphql-hive/graphql-yoga/main/website/public/favicon.ico',
    'http://127.0.0.1.nip.io/',
    'blob:https://example.com/0d1f',
    'not a url',
  ])('treats %s as leaving the machine', (url) => {
    expect(isLocalUrl(url)).toBe(false);
  });

  it('fails with the apt command when Chromium is missing', () => {
    expect(() => assertChromiumInstalled('/nonexistent/chromium')).toThrow(
      /apt-get update && apt-get install -y chromium/,
    );
  });

  it('skips only when SKIP_BROWSER_TESTS=1', () => {
    expect(browserSkipReason({ SKIP_BROWSER_TESTS: '1' })).toMatch(/SKIP_BROWSER_TESTS=1/);
    expect(browserSkipReason({})).toBeUndefined();
    expect(browserSkipReason({ SKIP_BROWSER_TESTS: '0' })).toBeUndefined();
  });
});
