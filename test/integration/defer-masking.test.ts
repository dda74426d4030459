import { useDeferStream } from '@graphql-yoga/plugin-defer-stream';
import { createSchema, createYoga, type Plugin } from 'graphql-yoga';
import { describe, expect, it } from 'vitest';
import { DefenderError } from '../../src/defender/errors.js';
import { deferStreamPlugins } from '../../src/server/defer.js';
import { maskError } from '../../src/server/errors.js';

/** A schema whose deferred and streamed parts fail with an internal error and with a typed one. */
const schema = createSchema({
  typeDefs: /* GraphQL */ `
    type Query { items: [Item] }
    type Item { id: ID! internal: String known: String invalid: String }
  `,
  resolvers: {
    Query: { items: () => [{ id: '1' }, { id: 'boom' }] },
    Item: {
      id: (item: { id: string }) => {
        if (item.id === 'boom') throw new Error('internal detail: db password=hunter2');
        return item.id;
      },
      internal: () => {
        throw new Error('internal detail: db password=hunter2');
      },
      known: () => {
        throw new DefenderError('UPSTREAM_TIMEOUT', 'Defender timed out', { status: 504 });
      },
      invalid: () => {
        throw new DefenderError('BAD_USER_INPUT', 'Defender rejected the request as invalid');
      },
    },
  },
});

async function run(plugins: Plugin[], query: string): Promise<string> {
  const yoga = createYoga({ schema, plugins, maskedErrors: { maskError }, logging: false });
  const response = await yoga.fetch('http://app/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'multipart/mixed' },
    body: JSON.stringify({ query }),
  });
  expect(response.headers.get('content-type')).toBe('multipart/mixed; boundary="-"');
  return response.text();
}

/** Every `errors` entry of every incremental payload in a multipart body. */
function incrementalErrors(body: string): { message: string; extensions?: Record<string, unknown> }[] {
  return body
    .split('\r\n---')
    .map((part) => part.slice(part.indexOf('\r\n\r\n') + 4).trim())
    .filter((json) => json.startsWith('{'))
    .flatMap((json) => (JSON.parse(json) as { incremental?: { errors?: [] }[] }).incremental ?? [])
    .flatMap((item) => item.errors ?? []);
}

const DEFER = '{ items { id ... @defer { internal } ... @defer { known invalid } } }';
const STREAM = '{ items @stream(initialCount: 1) { id } }';

describe('errors in @defer/@stream payloads are masked like top-level errors', () => {
  it('plain useDeferStream lets an internal message through (why the app adds masking)', async () => {
    expect(await run([useDeferStream()], DEFER)).toContain('hunter2');
  });

  it('masks internal errors and keeps typed codes in deferred fragments', async () => {
    const body = await run(deferStreamPlugins(), DEFER);
    expect(body).not.toContain('hunter2');
    const errors = incrementalErrors(body);
    // Item "boom" fails in the initial payload, so only item "1" has deferred fragments.
    expect(errors.map((e) => [e.message, e.extensions]).sort()).toEqual([
      ['Defender rejected the request as invalid', { code: 'BAD_USER_INPUT' }],
      ['Defender timed out', { code: 'UPSTREAM_TIMEOUT', upstreamStatus: 504 }],
      ['Unexpected error.', { code: 'INTERNAL_SERVER_ERROR' }],
    ]);
  });

  it('masks internal errors in streamed items', async () => {
    const body = await run(deferStreamPlugins(), STREAM);
    expect(body).not.toContain('hunter2');
    expect(incrementalErrors(body).map((e) => [e.message, e.extensions])).toEqual([
      ['Unexpected error.', { code: 'INTERNAL_SERVER_ERROR' }],
    ]);
  });
});
