import { getIntrospectionQuery, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema } from '../../src/schema/index.js';
import { planOperation } from '../../src/server/planner.js';

const WIN = 'microsoft-_-windows_11';
const EDGE = 'microsoft-_-edge';
const CHROME = 'google-_-chrome';

/** The plan of `query` against the real schema, as `byEndpoint` (zeros omitted) and total. */
function plan(query: string, variables?: Record<string, unknown>, assumedListSize?: number) {
  const result = planOperation(schema, parse(query), { variables }, assumedListSize);
  if (!result) throw new Error('operation could not be planned');
  return result;
}

describe('planOperation over the real schema: exact worst cases', () => {
  it.each([
    [
      'the issue-2 acceptance query: one getmissingkbs per distinct id, the id-only alias is free',
      `{
        a: software(id:"${EDGE}"){ missingKbs{ id name url productsNames machineMissedOn cveAddressed } }
        b: software(id:"${EDGE}"){ id }
        c: softwareByIds(ids:["${CHROME}","${EDGE}"]){ id missingKbs{ id } }
      }`,
      { 'software.getmissingkbs': 2 },
    ],
    [
      'the README sample: 3 entity calls (one per distinct id, the unknown one included) and 1 KB list',
      `{
        software(id: "${WIN}") { name vendor exposedMachines missingKbs { id name } }
        softwareByIds(ids: ["${CHROME}", "contoso-_-nothing"]) { id name weaknesses }
      }`,
      { 'software.get': 3, 'software.getmissingkbs': 1 },
    ],
    [
      'softwareByIds with repeats: distinct ids only',
      `{ softwareByIds(ids:["${EDGE}","${EDGE}","${CHROME}","${EDGE}"]){ name missingKbs { id } } }`,
      { 'software.get': 2, 'software.getmissingkbs': 2 },
    ],
    [
      'aliases of one id collapse into one parent',
      `{ a: software(id:"${EDGE}"){ name } b: software(id:"${EDGE}"){ vendor weaknesses } c: softwareByIds(ids:["${EDGE}"]){ category } }`,
      { 'software.get': 1 },
    ],
    ['only id selected: one existence probe', `{ software(id:"${EDGE}"){ id } }`, { 'software.get': 1 }],
    [
      'the probe is shared with a call another root field makes for the same id',
      `{ a: software(id:"${EDGE}"){ id } b: software(id:"${EDGE}"){ missingKbs { id } } }`,
      { 'software.getmissingkbs': 1 },
    ],
    [
      'named fragments, nested fragments and inline fragments',
      `query { software(id:"${WIN}") { ...Entity ... on Software { missingKbs { id } } } }
       fragment Entity on Software { name ...More }
       fragment More on Software { vendor versionDistribution { version } }`,
      { 'software.distributions': 1, 'software.get': 1, 'software.getmissingkbs': 1 },
    ],
    [
      'drill-down fields under one software: one call each, device reference fields free',
      `{ software(id:"${WIN}") {
          versionDistribution { version installations }
          machines { id computerDnsName osPlatform rbacGroupName }
          vulnerabilities { id }
      } }`,
      { 'software.distributions': 1, 'software.machinereferences': 1, 'software.vulnerabilities': 1 },
    ],
    [
      'a software page: one list call, then one call per listed item per loader field',
      '{ softwareList(first: 3) { nodes { id missingKbs { id } } pageInfo { hasNextPage } } }',
      { 'software.list': 1, 'software.getmissingkbs': 3 },
    ],
    [
      'a software page without "first" uses its default size (50)',
      '{ softwareList { edges { cursor node { id missingKbs { id } } } } }',
      { 'software.list': 1, 'software.getmissingkbs': 50 },
    ],
    [
      'device reference fields under machine(id) need the device call',
      '{ machine(id:"m1") { id computerDnsName } }',
      { 'machines.get': 1 },
    ],
    [
      'introspection and _service cost nothing',
      '{ __schema { queryType { name } } __typename _service { sdl } }',
      {},
    ],
  ])('%s', (_name, query, byEndpoint) => {
    const result = plan(query);
    expect(result.byEndpoint).toEqual(byEndpoint);
    expect(result.estimatedCalls).toBe(Object.values(byEndpoint).reduce((a, b) => a + b, 0));
  });

  it('reads ids from variables, with repeats', () => {
    const query = `query ($id: ID!, $ids: [ID!]!) {
      software(id: $id) { missingKbs { id } }
      softwareByIds(ids: $ids) { missingKbs { id } }
    }`;
    expect(plan(query, { id: EDGE, ids: [EDGE, CHROME, CHROME, WIN] }).byEndpoint).toEqual({
      'software.getmissingkbs': 3,
    });
    // A single id where a list is expected is coerced to a list of one, as execution does.
    expect(plan(query, { id: EDGE, ids: EDGE }).estimatedCalls).toBe(1);
  });

  it('honours @skip and @include with literals and variables, on fields and fragments', () => {
    const query = `query ($skip: Boolean!, $withKbs: Boolean!) {
      software(id: "${EDGE}") {
        name @skip(if: $skip)
        ... on Software @include(if: $withKbs) { missingKbs { id } }
        ...V @skip(if: true)
      }
    }
    fragment V on Software { versionDistribution { version } }`;
    expect(plan(query, { skip: false, withKbs: true }).byEndpoint).toEqual({
      'software.get': 1,
      'software.getmissingkbs': 1,
    });
    expect(plan(query, { skip: true, withKbs: true }).byEndpoint).toEqual({ 'software.getmissingkbs': 1 });
    // Nothing left that calls: the existence probe of the id.
    expect(plan(query, { skip: true, withKbs: false }).byEndpoint).toEqual({ 'software.get': 1 });
  });

  it('plans federation _entities per typename with distinct keys', () => {
    const query = `query ($r: [_Any!]!) {
      _entities(representations: $r) { ... on Software { id missingKbs { id } } }
    }`;
    const reps = [EDGE, EDGE, CHROME].map((id) => ({ __typename: 'Software', id }));
    expect(plan(query, { r: reps }).byEndpoint).toEqual({ 'software.getmissingkbs': 2 });
    const idOnly = 'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Software { id } } }';
    expect(plan(idOnly, { r: reps }).byEndpoint).toEqual({ 'software.get': 2 });
    const vulnerability = { __typename: 'Vulnerability', id: 'CVE-2024-1' };
    const mixed = `query ($r: [_Any!]!) { _entities(representations: $r) {
      ... on Software { missingKbs { id } } ... on Vulnerability { id }
    } }`;
    expect(plan(mixed, { r: [...reps, vulnerability, vulnerability] }).byEndpoint).toEqual({
      'software.getmissingkbs': 2,
      'vulnerabilities.get': 1,
    });
  });

  it('multiplies per-item calls under an unbounded list by the assumed list size', () => {
    const query = `{ software(id: "${WIN}") { machines { id lastSeen missingKbs { id } } } }`;
    expect(plan(query).byEndpoint).toEqual({
      'software.machinereferences': 1,
      'machines.get': 1000,
      'machines.getmissingkbs': 1000,
    });
    expect(plan(query, undefined, 7).estimatedCalls).toBe(15);
    // Two unbounded levels multiply.
    const nested = `{ software(id: "${WIN}") { machines { missingKbs { id } software { missingKbs { id } } } } }`;
    expect(plan(nested, undefined, 10).byEndpoint).toEqual({
      'software.machinereferences': 1,
      'machines.getmissingkbs': 10,
      'machines.software': 10,
      'software.getmissingkbs': 100,
    });
  });

  it('merges fields sharing a response key into one evaluation, as graphql-js does', () => {
    const query = `{
      softwareList(first: 2) { nodes { missingKbs { id } } }
      softwareList(first: 2) { nodes { versionDistribution { version } } }
    }`;
    expect(plan(query).byEndpoint).toEqual({
      'software.list': 1,
      'software.getmissingkbs': 2,
      'software.distributions': 2,
    });
  });

  it('gives up (undefined) when execution would fail before any call', () => {
    const query = 'query A { software(id: "x") { name } } query B { software(id: "y") { name } }';
    expect(planOperation(schema, parse(query), {})).toBeUndefined();
    expect(planOperation(schema, parse(query), { operationName: 'B' })?.estimatedCalls).toBe(1);
    const typed = 'query ($id: ID!) { software(id: $id) { name } }';
    expect(planOperation(schema, parse(typed), { variables: {} })).toBeUndefined();
  });

  it('plans the whole GraphiQL introspection query at zero calls', () => {
    expect(plan(getIntrospectionQuery({ descriptions: true, inputValueDeprecation: true }))).toEqual({
      estimatedCalls: 0,
      byEndpoint: {},
    });
  });
});
