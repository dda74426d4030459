import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/env.js';
import { createApp } from '../../src/server/app.js';
import { createRuntime } from '../../src/server/runtime.js';
import { memoryLogger } from '../helpers/app.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** The README's sample query and the demo output printed under it. */
function sample(): { query: string; output: unknown } {
  const query = readme.match(/## A query and its demo answer[\s\S]*?```graphql\n([\s\S]*?)```/)?.[1];
  const output = readme.match(/Demo output[\s\S]*?```json\n([\s\S]*?)```/)?.[1];
  if (!query || !output) throw new Error('README lost its sample query or output block');
  return { query, output: JSON.parse(output) };
}

const withoutTargets = (value: unknown) =>
  JSON.parse(JSON.stringify(value), (key, v) => (key === 'upstreamTarget' ? '<guid>' : v));

describe('README', () => {
  it('shows the output the demo server really gives for its sample query', async () => {
    const parsed = parseConfig({});
    if (!parsed.ok) throw new Error(parsed.errors.join('; '));
    const logger = memoryLogger();
    const app = createApp({ client: createRuntime(parsed.config, { logger }).client, logger });
    const { query, output } = sample();
    const response = await app.fetch('http://app/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query }),
    });
    const body = (await response.json()) as Record<string, unknown>;
    expect(withoutTargets({ data: body.data, errors: body.errors })).toEqual(withoutTargets(output));
  });

  it('documents every variable the configuration parser reads', () => {
    const dir = new URL('../../src/config/', import.meta.url);
    const source = readdirSync(dir)
      .map((file) => readFileSync(new URL(file, dir), 'utf8'))
      .join('\n');
    const names = new Set(
      source.match(/\b(?:AZURE|DEFENDER|DEMO|GRAPHQL)_[A-Z_]*[A-Z]\b|\b(?:PORT|HOST|LOG_LEVEL|REDIS_URL)\b/g),
    );
    for (const name of names) expect(readme, name).toContain(`\`${name}\``);
  });
});
