import { readFileSync, writeFileSync } from 'node:fs';
import { printSubgraphSchema } from '@apollo/subgraph';
import { schema } from '../src/schema/index.js';

/**
 * Prints the subgraph SDL (federation directives kept) to schema/schema.graphql, or with `--check`
 * fails when the committed file differs from what the code defines.
 */
const target = new URL('../schema/schema.graphql', import.meta.url);
const printed = `${printSubgraphSchema(schema).trim()}\n`;
if (process.argv.includes('--check')) {
  let committed = '';
  try {
    committed = readFileSync(target, 'utf8');
  } catch {
    // missing file counts as drift
  }
  if (committed !== printed) {
    process.stderr.write(
      'schema/schema.graphql is out of date with the code: run `npm run schema:print` and commit it\n',
    );
    process.exit(1);
  }
  process.stdout.write('schema/schema.graphql matches the code\n');
} else {
  writeFileSync(target, printed);
  process.stdout.write('wrote schema/schema.graphql\n');
}
