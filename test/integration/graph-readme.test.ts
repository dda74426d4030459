import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** The query/output pairs of the README's "Versions, devices and vulnerabilities" section. */
function examples(): { query: string; output: unknown; calls: number }[] {
  const start = readme.indexOf('### Versions, devices and vulnerabilities');
  const end = readme.indexOf('\n## ', start);
  if (start < 0 || end < 0)
    throw new Error('README lost its "Versions, devices and vulnerabilities" section');
  const section = readme.slice(start, end);
  const pattern =
    /```graphql\n([\s\S]*?)```\s*\nDemo output \((\d+) upstream calls[\s\S]*?```json\n([\s\S]*?)```/g;
  return [...section.matchAll(pattern)].map(([, query, calls, output]) => ({
    query: query ?? '',
    calls: Number(calls),
    output: JSON.parse(output ?? 'null'),
  }));
}

describe('README: versions, devices and vulnerabilities', () => {
  it('has two examples', () => {
    expect(examples()).toHaveLength(2);
  });

  it.each(examples().map((e, i) => [i + 1, e] as const))(
    'example %i shows the demo output and upstream call count it really has',
    async (_, { query, output, calls }) => {
      const { gql, emulator } = createTestApp();
      const result = await gql(query);
      expect({ data: result.data }).toEqual(output);
      expect(result.errors).toBeUndefined();
      expect(emulator.log).toHaveLength(calls);
    },
  );
});
