import { describe, expect, it } from 'vitest';
import { DefenderError } from '../../src/defender/errors.js';
import { buildFilter, odataString } from '../../src/defender/odata.js';
import { buildApiUrl, checkNextLink } from '../../src/defender/url.js';

describe('buildApiUrl', () => {
  it('encodes each segment on its own under the API root', () => {
    expect(buildApiUrl('https://h/api', ['Software', '../machines', 'getmissingkbs']).href).toBe(
      'https://h/api/Software/..%2Fmachines/getmissingkbs',
    );
    expect(buildApiUrl('https://h/api/', ['Software', 'x?y#z']).pathname).toBe('/api/Software/x%3Fy%23z');
    expect(buildApiUrl('https://h/base/api/v1.0', ['Software', '%2e%2e']).pathname).toBe(
      '/base/api/v1.0/Software/%252e%252e',
    );
  });

  it('adds query parameters, leaving out undefined ones', () => {
    const url = buildApiUrl('https://h/api', ['Software'], {
      $filter: "name eq 'a&b'",
      $top: 5,
      $skip: undefined,
    });
    expect(url.searchParams.get('$filter')).toBe("name eq 'a&b'");
    expect([...url.searchParams.keys()]).toEqual(['$filter', '$top']);
  });

  it.each(['', '.', '..'])('refuses the segment %j', (segment) => {
    expect(() => buildApiUrl('https://h/api', ['Software', segment])).toThrow(DefenderError);
  });
});

describe('checkNextLink', () => {
  it('accepts links under the API root and refuses others', () => {
    expect(checkNextLink('https://h/api', 'https://h/api/Software?$skip=10').search).toBe('?$skip=10');
    expect(() => checkNextLink('https://h/api', 'https://evil.example/api/Software')).toThrow(
      /outside the API root/,
    );
    expect(() => checkNextLink('https://h/api', 'https://h/other')).toThrow(/outside the API root/);
  });
});

describe('OData literals', () => {
  it('doubles single quotes so values cannot close the literal', () => {
    expect(odataString("o'brien') or (1 eq 1")).toBe("'o''brien'') or (1 eq 1'");
  });

  it('joins field filters with and', () => {
    expect(buildFilter({ id: undefined, name: { equals: 'edge' }, vendor: { startsWith: 'micro' } })).toBe(
      "name eq 'edge' and startswith(vendor,'micro')",
    );
    expect(buildFilter({ id: undefined, name: undefined, vendor: {} })).toBeUndefined();
  });
});
