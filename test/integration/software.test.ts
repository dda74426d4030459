import { describe, expect, it } from 'vitest';
import { SoftwareByIdsDocument, SoftwareEntityDocument, SoftwareWithKbsDocument } from '../gql/graphql.js';
import { createTestApp } from '../helpers/app.js';

const ACCEPTANCE_QUERY = `{
  a: software(id:"microsoft-_-edge"){ missingKbs{ id name url productsNames machineMissedOn cveAddressed } }
  b: software(id:"microsoft-_-edge"){ id }
  c: softwareByIds(ids:["google-_-chrome","microsoft-_-edge"]){ id missingKbs{ id } }
}`;

describe('Software and missingKbs over the emulator', () => {
  it('answers the acceptance query with exactly one getmissingkbs call per distinct id', async () => {
    const { gql, calls, emulator } = createTestApp();
    const result = await gql<Record<string, unknown>>(ACCEPTANCE_QUERY);
    expect(result.errors).toBeUndefined();
    const getmissingkbs = calls('software.getmissingkbs');
    expect(getmissingkbs.map((c) => c.id).sort()).toEqual(['google-_-chrome', 'microsoft-_-edge']);
    expect(emulator.log).toHaveLength(2);
    const edgeKbs = emulator.dataset.missingKbsBySoftwareId.get('microsoft-_-edge');
    expect(edgeKbs?.length).toBeGreaterThan(0);
    expect(result.data).toEqual({
      a: { missingKbs: edgeKbs },
      b: { id: 'microsoft-_-edge' },
      c: [
        { id: 'google-_-chrome', missingKbs: [] },
        { id: 'microsoft-_-edge', missingKbs: edgeKbs?.map((kb) => ({ id: kb.id })) },
      ],
    });
  });

  it('makes one GET /Software/{id} per distinct id for entity fields and returns the REST values', async () => {
    const { gql, calls, emulator } = createTestApp();
    const result = await gql(`{
      x: software(id:"microsoft-_-edge"){ name vendor weaknesses exposedMachines }
      y: software(id:"microsoft-_-edge"){ publicExploit activeAlert impactScore installedMachines isNormalized category }
      z: softwareByIds(ids:["microsoft-_-edge","google-_-chrome","microsoft-_-edge"]){ name }
    }`);
    expect(result.errors).toBeUndefined();
    expect(
      calls('software.get')
        .map((c) => c.id)
        .sort(),
    ).toEqual(['google-_-chrome', 'microsoft-_-edge']);
    expect(emulator.log).toHaveLength(2);
    const dto = emulator.dataset.softwareById.get('microsoft-_-edge')!;
    expect(result.data?.x).toEqual({
      name: dto.name,
      vendor: dto.vendor,
      weaknesses: dto.weaknesses,
      exposedMachines: dto.exposedMachines,
    });
    expect(result.data?.y).toEqual({
      publicExploit: dto.publicExploit,
      activeAlert: dto.activeAlert,
      impactScore: dto.impactScore,
      installedMachines: dto.installedMachines ?? null,
      isNormalized: dto.isNormalized ?? null,
      category: dto.category ?? null,
    });
    expect(result.data?.z).toEqual([{ name: 'edge' }, { name: 'chrome' }, { name: 'edge' }]);
  });

  it('returns every documented field through the typed document', async () => {
    const { gql, emulator } = createTestApp();
    const result = await gql(SoftwareEntityDocument, { id: 'google-_-chrome' });
    const { ...dto } = emulator.dataset.softwareById.get('google-_-chrome')!;
    expect(result.data?.software).toMatchObject({
      id: dto.id,
      name: dto.name,
      vendor: dto.vendor,
      weaknesses: dto.weaknesses,
      exposedMachines: dto.exposedMachines,
    });
  });

  it('keeps softwareByIds in the order of ids, repeats included', async () => {
    const { gql, calls } = createTestApp();
    const ids = ['microsoft-_-office', 'google-_-chrome', 'microsoft-_-office', 'mozilla-_-firefox'];
    const result = await gql(SoftwareByIdsDocument, { ids });
    expect(result.errors).toBeUndefined();
    expect(result.data?.softwareByIds.map((s) => s?.id)).toEqual(ids);
    expect(calls('software.getmissingkbs')).toHaveLength(3);
    expect(calls('software.get')).toHaveLength(3);
  });

  it('nulls an unknown id with NOT_FOUND at its own path and keeps the rest', async () => {
    const { gql, calls } = createTestApp();
    const result = await gql(`{
      ok: software(id:"microsoft-_-edge"){ id name }
      gone: software(id:"contoso-_-nothing"){ id name missingKbs { id } }
      kbsOnly: software(id:"contoso-_-missing"){ id missingKbs { id } }
      idOnly: software(id:"contoso-_-absent"){ id }
      list: softwareByIds(ids:["google-_-chrome","contoso-_-nothing"]){ id name }
    }`);
    expect(result.data).toEqual({
      ok: { id: 'microsoft-_-edge', name: 'edge' },
      gone: null,
      kbsOnly: null,
      idOnly: null,
      list: [{ id: 'google-_-chrome', name: 'chrome' }, null],
    });
    const byPath = Object.fromEntries(
      (result.errors ?? []).map((e) => [e.path?.join('.'), e.extensions?.code]),
    );
    expect(byPath).toEqual({
      gone: 'NOT_FOUND',
      kbsOnly: 'NOT_FOUND',
      idOnly: 'NOT_FOUND',
      'list.1': 'NOT_FOUND',
    });
    // One probe per distinct unknown id; contoso-_-nothing is shared by `gone` and `list`.
    expect(
      calls('software.get')
        .map((c) => c.id)
        .sort(),
    ).toEqual(['contoso-_-absent', 'contoso-_-nothing', 'google-_-chrome', 'microsoft-_-edge']);
    // Selected calls start together with the probe, so `gone` spends its getmissingkbs (a 404) too.
    expect(
      calls('software.getmissingkbs')
        .map((c) => c.id)
        .sort(),
    ).toEqual(['contoso-_-missing', 'contoso-_-nothing']);
  });

  it('resolves the typed missing-KB document with the emulator values', async () => {
    const { gql, emulator } = createTestApp();
    const result = await gql(SoftwareWithKbsDocument, { id: 'microsoft-_-windows_10' });
    expect(result.data?.software?.missingKbs).toEqual(
      emulator.dataset.missingKbsBySoftwareId.get('microsoft-_-windows_10'),
    );
  });
});
