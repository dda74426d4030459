import { describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.js';

const HOSTILE = [
  '../machines',
  'a/b',
  'x?y',
  'x#y',
  '%2e%2e',
  'with space',
  'ünïcødé-_-日本',
  '..%2Fmachines',
  'a\\b',
  "o'brien",
];

describe('hostile ids', () => {
  it.each(HOSTILE)('sends %j only as one encoded segment under /api/Software/', async (id) => {
    const { gql, emulator } = createTestApp();
    const result = await gql(`query($id: ID!) { software(id: $id) { id missingKbs { id } } }`, { id });
    expect(result.data).toEqual({ software: null });
    expect(result.errors?.map((e) => e.extensions?.code)).toEqual(['NOT_FOUND']);
    expect(emulator.log.map((e) => e.rawPath)).toEqual([
      `/api/Software/${encodeURIComponent(id)}/getmissingkbs`,
    ]);
    expect(emulator.log[0]?.id).toBe(id);
    expect(emulator.log[0]?.search).toBe('');
  });

  it.each(['', '.', '..', 'a\u0000b', 'x'.repeat(513)])(
    'rejects %j as BAD_USER_INPUT before any call',
    async (id) => {
      const { gql, emulator } = createTestApp();
      const result = await gql(`query($id: ID!) { software(id: $id) { id name missingKbs { id } } }`, { id });
      expect(result.data).toEqual({ software: null });
      expect(result.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([
        [['software'], 'BAD_USER_INPUT'],
      ]);
      expect(emulator.log).toHaveLength(0);
    },
  );

  it('rejects a bad id inside softwareByIds without touching its siblings', async () => {
    const { gql, emulator } = createTestApp();
    const result = await gql(
      `{ softwareByIds(ids: ["microsoft-_-edge", "", "google-_-chrome"]) { id name } }`,
    );
    expect(result.data?.softwareByIds).toEqual([
      { id: 'microsoft-_-edge', name: 'edge' },
      null,
      { id: 'google-_-chrome', name: 'chrome' },
    ]);
    expect(result.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([
      [['softwareByIds', 1], 'BAD_USER_INPUT'],
    ]);
    expect(emulator.log.map((e) => e.rawPath).sort()).toEqual([
      '/api/Software/google-_-chrome',
      '/api/Software/microsoft-_-edge',
    ]);
  });
});
