import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

/**
 * Debian's Chromium; Playwright's own browser download cannot work offline, so tests use this one.
 * `CHROMIUM_PATH` in the environment overrides it (another distro's binary).
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** The command that installs {@link CHROMIUM_PATH} (CI runs it before `npx vitest run`). */
export const CHROMIUM_APT_COMMAND = 'apt-get update && apt-get install -y chromium';

/**
 * Flags verified on this machine kind (docs: toolchain.md §5). The background-networking, sync,
 * component-update and QUIC switches stop Chromium's own calls to Google hosts, which a closed
 * network refuses; `--disable-dev-shm-usage` guards against a small /dev/shm in CI containers
 * (Debian's launcher script means to add it but its /dev/shm size check can misparse).
 */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** Why browser tests are skipped, or `undefined` when they must run (`SKIP_BROWSER_TESTS=1` skips). */
export function browserSkipReason(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.SKIP_BROWSER_TESTS === '1'
    ? 'SKIP_BROWSER_TESTS=1 is set: browser (Chromium) end-to-end tests skipped'
    : undefined;
}

/** Throws an actionable error when Debian's Chromium is missing, so the test fails rather than skips. */
export function assertChromiumInstalled(executablePath: string = CHROMIUM_PATH): void {
  if (existsSync(executablePath)) return;
  throw new Error(
    `Chromium not found at ${executablePath}. Install it with \`${CHROMIUM_APT_COMMAND}\` ` +
      '(never `playwright install`: it downloads from the internet), or set SKIP_BROWSER_TESTS=1 to skip browser tests.',
  );
}

/**
 * True for URLs that stay on this machine: `data:`, `about:`, `blob:` of a loopback origin, and any
 * URL whose host is 127.0.0.0/8, `::1` or `localhost`.
 */
export function isLocalUrl(raw: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.protocol === 'data:' || url.protocol === 'about:') return true;
  // A blob URL's origin is that of the document that created it.
  const host = url.protocol === 'blob:' ? hostOf(url.origin) : url.hostname;
  return host !== undefined && isLoopbackHost(host);
}

function hostOf(origin: string): string | undefined {
  try {
    return new URL(origin).hostname;
  } catch {
    return undefined;
  }
}

function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '[::1]' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/** Everything the browser context asked for, as seen by Playwright. */
export interface NetworkLog {
  /** Every request URL, in order, from every page and worker of the context. */
  requests: string[];
  /** Requests that failed at the network level (refused, DNS, aborted). */
  failed: { url: string; error: string }[];
  /** Responses with a status of 400 or more. */
  httpErrors: { url: string; status: number }[];
  /** Uncaught exceptions thrown in pages. */
  pageErrors: string[];
  /** The requests that left the machine (should be none). */
  nonLocal(): string[];
}

/** Starts recording the network activity of `context`; call before the first navigation. */
export function recordNetwork(context: BrowserContext): NetworkLog {
  const log: NetworkLog = {
    requests: [],
    failed: [],
    httpErrors: [],
    pageErrors: [],
    nonLocal: () => log.requests.filter((url) => !isLocalUrl(url)),
  };
  context.on('request', (request) => void log.requests.push(request.url()));
  context.on(
    'requestfailed',
    (request) =>
      void log.failed.push({ url: request.url(), error: request.failure()?.errorText ?? 'unknown' }),
  );
  context.on('response', (response) => {
    if (response.status() >= 400) log.httpErrors.push({ url: response.url(), status: response.status() });
  });
  context.on('weberror', (error) => void log.pageErrors.push(String(error.error())));
  return log;
}

/** A running headless Chromium with a throw-away profile. */
export interface BrowserSession {
  context: BrowserContext;
  page: Page;
  network: NetworkLog;
  /** Scratch directory (holds the profile); removed by `close`. Put screenshots here. */
  dir: string;
  /** Closes the browser and deletes `dir`; safe to call twice. */
  close(): Promise<void>;
}

/**
 * Launches Debian's Chromium through playwright-core with {@link CHROMIUM_ARGS} and a fresh profile
 * in a new temp directory, with network recording already attached. Throws if Chromium is missing.
 */
export async function launchChromium(options: { executablePath?: string } = {}): Promise<BrowserSession> {
  const executablePath = options.executablePath ?? CHROMIUM_PATH;
  assertChromiumInstalled(executablePath);
  const dir = await mkdtemp(path.join(tmpdir(), 'tvm-e2e-'));
  const userDataDir = path.join(dir, 'profile');
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath,
      headless: true,
      args: [...CHROMIUM_ARGS],
      viewport: { width: 1400, height: 900 },
    });
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  const network = recordNetwork(context);
  const page = context.pages()[0] ?? (await context.newPage());
  let closed = false;
  return {
    context,
    page,
    network,
    dir,
    async close() {
      if (closed) return;
      closed = true;
      try {
        await context.close();
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}
