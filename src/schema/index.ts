import { builder } from './builder.js';
import './types/missing-kb.js';
import './types/software.js';
import './types/scalars.js';
import './types/version-distribution.js';
import './types/machine.js';
import './types/vulnerability.js';
import './types/software-graph.js';
import './types/freshness.js';
import './types/software-list.js';

builder.queryType({
  description: 'Microsoft Defender Vulnerability Management, one request for many REST calls.',
});

/** The executable subgraph schema (federation `_service` and `_entities` included). */
export const schema = builder.toSubGraphSchema({
  linkUrl: 'https://specs.apollo.dev/federation/v2.6',
  federationDirectives: ['@key', '@shareable'],
});
