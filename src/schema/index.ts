import { builder } from './builder.js';
import './types/missing-kb.js';
import './types/software.js';

builder.queryType({
  description: 'Microsoft Defender Vulnerability Management, one request for many REST calls.',
});

/** The executable subgraph schema (federation `_service` and `_entities` included). */
export const schema = builder.toSubGraphSchema({
  linkUrl: 'https://specs.apollo.dev/federation/v2.6',
  federationDirectives: ['@key'],
});
