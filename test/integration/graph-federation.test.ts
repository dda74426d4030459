import { describe, expect, it } from 'vitest';
import type { MachineRefDto, MissingKbDto, VulnerabilityDto } from '../../src/defender/types.js';
import { createTestApp } from '../helpers/app.js';
import { createRestReference } from '../helpers/rest.js';

const UNKNOWN_MACHINE = '0000000000000000000000000000000000000000';
const UNKNOWN_CVE = 'CVE-1999-00000';

const rest = createRestReference();

/** `route id status` of every upstream call, sorted. */
const upstream = (log: readonly { route: string | null; id?: string; status: number }[]) =>
  log.map((e) => `${e.route} ${e.id} ${e.status}`).sort();

const ENTITIES = `query ($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on Software { id name }
    ... on Machine { id computerDnsName missingKbs { id } }
    ... on Vulnerability { id severity cvssV3 }
  }
}`;

describe('Machine and Vulnerability are federation entities', () => {
  it('declares @key(fields: "id") on Software, Machine and Vulnerability', async () => {
    const { gql, emulator } = createTestApp();
    const result = await gql<{ _service: { sdl: string } }>('{ _service { sdl } }');
    const sdl = result.data?._service.sdl ?? '';
    for (const type of ['Software', 'Machine', 'Vulnerability']) {
      expect(sdl).toContain(`type ${type}\n  @key(fields: "id")\n{`);
    }
    expect(emulator.log).toHaveLength(0);
  });

  it('resolves mixed _entities in order with one call per distinct (endpoint, id), unknown ids NOT_FOUND', async () => {
    const { gql, emulator } = createTestApp();
    const refs = await rest.list<MachineRefDto>('Software/microsoft-_-visio/machineReferences');
    const machine = refs[0] as MachineRefDto;
    const cve = (
      await rest.list<VulnerabilityDto>('Software/microsoft-_-edge/vulnerabilities')
    )[0] as VulnerabilityDto;
    const result = await gql<{ _entities: unknown[] }>(ENTITIES, {
      representations: [
        { __typename: 'Machine', id: machine.id },
        { __typename: 'Vulnerability', id: cve.id },
        { __typename: 'Machine', id: UNKNOWN_MACHINE },
        { __typename: 'Software', id: 'microsoft-_-visio' },
        { __typename: 'Vulnerability', id: UNKNOWN_CVE },
        { __typename: 'Machine', id: machine.id },
      ],
    });
    const kbs = await rest.list<MissingKbDto>(`machines/${machine.id}/getmissingkbs`);
    const machineAnswer = {
      id: machine.id,
      computerDnsName: machine.computerDnsName,
      missingKbs: kbs.map((kb) => ({ id: kb.id })),
    };
    expect(result.data?._entities).toEqual([
      machineAnswer,
      { id: cve.id, severity: cve.severity.toUpperCase(), cvssV3: cve.cvssV3 },
      null,
      { id: 'microsoft-_-visio', name: 'visio' },
      null,
      machineAnswer,
    ]);
    // Errors arrive in completion order; compare them by position.
    const errors = [...(result.errors ?? [])].sort((a, b) => Number(a.path?.[1]) - Number(b.path?.[1]));
    expect(errors.map((e) => [e.path, e.extensions?.code, e.message])).toEqual([
      [['_entities', 2], 'NOT_FOUND', `No machine with id "${UNKNOWN_MACHINE}" in Defender`],
      [['_entities', 4], 'NOT_FOUND', `No vulnerability with id "${UNKNOWN_CVE}" in Defender`],
    ]);
    // A representation has only the id, so `computerDnsName` needs the machine call (the probe too);
    // the unknown machine's missingKbs call starts alongside its probe.
    expect(upstream(emulator.log)).toEqual([
      `machines.get ${UNKNOWN_MACHINE} 404`,
      `machines.get ${machine.id} 200`,
      `machines.getmissingkbs ${UNKNOWN_MACHINE} 404`,
      `machines.getmissingkbs ${machine.id} 200`,
      'software.get microsoft-_-visio 200',
      `vulnerabilities.get ${UNKNOWN_CVE} 404`,
      `vulnerabilities.get ${cve.id} 200`,
    ]);
  });

  it('proves a Machine entity with its missingKbs call alone when no machine field needs GET /machines/{id}', async () => {
    const { gql, emulator } = createTestApp();
    const [machine] = await rest.list<MachineRefDto>('Software/microsoft-_-visio/machineReferences');
    const result = await gql<{ _entities: unknown[] }>(
      `query ($representations: [_Any!]!) {
        _entities(representations: $representations) { ... on Machine { id missingKbs { id } } }
      }`,
      {
        representations: [
          { __typename: 'Machine', id: machine?.id },
          { __typename: 'Machine', id: UNKNOWN_MACHINE },
        ],
      },
    );
    expect(result.data?._entities[1]).toBeNull();
    expect(result.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([
      [['_entities', 1], 'NOT_FOUND'],
    ]);
    expect(upstream(emulator.log)).toEqual([
      `machines.getmissingkbs ${UNKNOWN_MACHINE} 404`,
      `machines.getmissingkbs ${machine?.id} 200`,
    ]);
  });
});
