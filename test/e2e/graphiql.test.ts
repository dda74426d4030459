import { mkdir, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/env.js';
import { schema } from '../../src/schema/index.js';
import { createApp } from '../../src/server/app.js';
import { createRuntime, type Runtime } from '../../src/server/runtime.js';
import { memoryLogger } from '../helpers/app.js';
import { type BrowserSession, browserSkipReason, launchChromium } from '../helpers/browser.js';

/**
 * GraphiQL in real headless Chromium against the demo server: the page must render from bundled
 * assets only (no CDN, no request off the machine), run the default query and show the emulator's
 * data. Needs Debian's Chromium (`apt-get update && apt-get install -y chromium`); fails with that
 * hint when it is missing, unless SKIP_BROWSER_TESTS=1. Set E2E_ARTIFACTS_DIR to keep screenshots.
 */

const skipReason = browserSkipReason();
const BROWSER_TEST_TIMEOUT_MS = 60_000;

let server: http.Server | undefined;
let runtime: Runtime;
let baseUrl: string;
let browser: BrowserSession | undefined;

beforeAll(async () => {
  if (skipReason) return;
  const parsed = parseConfig({});
  if (!parsed.ok) throw new Error(`demo config rejected: ${parsed.errors.join('; ')}`);
  const logger = memoryLogger();
  runtime = createRuntime(parsed.config, { logger });
  const app = createApp({ client: runtime.client, logger, maxConcurrency: 10 });
  const listening = http.createServer(app);
  server = listening;
  await new Promise<void>((resolve, reject) => {
    listening.once('error', reject);
    listening.listen(0, '127.0.0.1', () => resolve());
  });
  baseUrl = `http://127.0.0.1:${(listening.address() as AddressInfo).port}`;
  // Throws "Chromium not found at /usr/bin/chromium. Install it with `apt-get …`" when missing.
  browser = await launchChromium();
}, BROWSER_TEST_TIMEOUT_MS);

afterAll(async () => {
  await browser?.close();
  const listening = server;
  if (listening) {
    listening.closeAllConnections();
    await new Promise<void>((resolve) => listening.close(() => resolve()));
  }
}, 30_000);

/**
 * The result pane's full text. Monaco renders only the visible lines, so the DOM holds a window of
 * the result; the whole text is read from the response editor's model (GraphiQL exposes monaco).
 */
async function responseText(page: Page): Promise<string> {
  const fromModel = await page.evaluate(() => {
    type Model = { uri: { path: string }; getValue(): string };
    const monaco = (window as unknown as { __MONACO?: { editor?: { getModels(): Model[] } } }).__MONACO;
    const model = monaco?.editor?.getModels().find((m) => m.uri.path.endsWith('response.json'));
    return model?.getValue() ?? null;
  });
  if (fromModel === null)
    throw new Error('GraphiQL no longer exposes window.__MONACO or a *response.json model');
  return fromModel;
}

/** Saves a full-page screenshot in the session dir, and in E2E_ARTIFACTS_DIR when set. */
async function screenshot(session: BrowserSession, name: string): Promise<string> {
  const file = path.join(session.dir, `${name}.png`);
  const png = await session.page.screenshot({ path: file });
  const keep = process.env.E2E_ARTIFACTS_DIR;
  if (keep) {
    await mkdir(keep, { recursive: true });
    await writeFile(path.join(keep, `${name}.png`), png);
  }
  return file;
}

describe('GraphiQL in headless Chromium (demo mode)', () => {
  it(
    'renders offline, runs the default query and shows emulator data',
    async (ctx) => {
      ctx.skip(Boolean(skipReason), skipReason);
      const session = browser!;
      const { page, network } = session;
      const edgeKb = runtime.emulator?.dataset.missingKbsBySoftwareId.get('microsoft-_-edge')?.[0]?.id;
      expect(edgeKb, 'emulator dataset has a missing KB for microsoft-_-edge').toBeTruthy();

      const started = Date.now();
      const response = await page.goto(`${baseUrl}/graphql`);
      expect(response?.status()).toBe(200);
      expect(response?.headers()['content-type']).toContain('text/html');
      const execute = page.locator('.graphiql-execute-button');
      await execute.waitFor({ state: 'visible', timeout: 30_000 });
      // The query editor is populated with the default query (not GraphiQL's generic welcome text).
      await expect
        .poll(() => page.locator('.graphiql-query-editor').textContent(), { timeout: 10_000 })
        .toContain('softwareByIds');
      const editorReadyMs = Date.now() - started;

      const graphqlPost = page.waitForResponse(
        (r) =>
          r.request().method() === 'POST' &&
          r.url().startsWith(`${baseUrl}/graphql`) &&
          (r.request().postData() ?? '').includes('MissingUpdates'),
        { timeout: 30_000 },
      );
      await execute.click();
      expect((await graphqlPost).status()).toBe(200);
      // The panel itself must show data, not just the network having returned it.
      await expect
        .poll(() => page.locator('.graphiql-response').textContent(), { timeout: 20_000 })
        .toContain('"microsoft-_-edge"');
      const text = await responseText(page);
      const resultMs = Date.now() - started;

      expect(text).toContain('"data"');
      expect(text).toContain('"microsoft-_-edge"');
      expect(text).toContain(`"${edgeKb}"`);
      const result = JSON.parse(text) as {
        data?: { softwareByIds?: ({ id: string } | null)[] };
        errors?: unknown;
      };
      expect(result.errors).toBeUndefined();
      expect(result.data?.softwareByIds?.map((s) => s?.id)).toEqual([
        'microsoft-_-edge',
        'microsoft-_-windows_10',
        'google-_-chrome',
        'microsoft-_-office',
      ]);

      expect(await page.title()).toMatch(/tvm-graphql/i);
      const shot = await screenshot(session, 'graphiql-result');
      console.info(
        `[e2e] GraphiQL editor ready in ${editorReadyMs} ms, result shown after ${resultMs} ms; ${shot}`,
      );

      expect(network.requests.length).toBeGreaterThan(0);
      expect(network.nonLocal(), 'requests that left the machine').toEqual([]);
      expect(network.failed, 'failed requests').toEqual([]);
      expect(network.httpErrors, 'HTTP error responses').toEqual([]);
      expect(network.pageErrors, 'uncaught page errors').toEqual([]);
    },
    BROWSER_TEST_TIMEOUT_MS,
  );

  it(
    'shows field descriptions in the docs explorer',
    async (ctx) => {
      ctx.skip(Boolean(skipReason), skipReason);
      const session = browser!;
      const { page, network } = session;
      const description = schema.getQueryType()?.getFields().softwareByIds?.description;
      expect(description, 'softwareByIds has a description in the schema').toBeTruthy();

      if (!page.url().startsWith(`${baseUrl}/graphql`)) await page.goto(`${baseUrl}/graphql`);
      await page.getByRole('button', { name: 'Show Documentation Explorer' }).click();
      const docs = page.locator('.graphiql-doc-explorer');
      await docs.getByText('Root Types').waitFor({ timeout: 20_000 });
      await docs
        .locator('a', { hasText: /^Query$/ })
        .first()
        .click();
      await docs
        .locator('a', { hasText: /^softwareByIds$/ })
        .first()
        .click();
      // The explorer renders the description as markdown, so compare without backticks.
      await expect
        .poll(() => docs.textContent(), { timeout: 10_000 })
        .toContain(description!.replaceAll('`', ''));
      await screenshot(session, 'graphiql-docs');

      expect(network.nonLocal(), 'requests that left the machine').toEqual([]);
      expect(network.failed, 'failed requests').toEqual([]);
    },
    BROWSER_TEST_TIMEOUT_MS,
  );
});
