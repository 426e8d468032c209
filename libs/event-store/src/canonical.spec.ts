import { canonicalJson, eventBody } from './canonical';

describe('canonicalJson', () => {
  it('sorts keys by UTF-16 code units at every depth, with no whitespace', () => {
    const value = { b: 1, a: { z: [3, { y: true, x: null }], B: 'é' }, é: 0, Z: 'x', '10': 1, '9': 2 };
    // Integer-like keys come first in a JavaScript object whatever their order; the canonical text
    // orders them as strings ('10' before '9'), upper case before lower, non-ASCII last.
    expect(canonicalJson(value)).toBe('{"10":1,"9":2,"Z":"x","a":{"B":"é","z":[3,{"x":null,"y":true}]},"b":1,"é":0}');
  });

  it('gives the same text whatever order the keys were written in', () => {
    expect(canonicalJson({ amount: '1.00', currency: 'EUR', nested: { q: 1, p: 2 } })).toBe(
      canonicalJson({ nested: { p: 2, q: 1 }, currency: 'EUR', amount: '1.00' }),
    );
  });

  it('leaves out undefined members and writes undefined array items as null, as JSON.stringify does', () => {
    const value = { kept: 1, dropped: undefined, list: [1, undefined, 'x'] };
    expect(canonicalJson(value)).toBe('{"kept":1,"list":[1,null,"x"]}');
    expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
  });

  it('escapes strings and keys as JSON does', () => {
    expect(canonicalJson({ 'k"ey': 'line\nbreak \\ "quoted" \u2028' })).toBe(JSON.stringify({ 'k"ey': 'line\nbreak \\ "quoted" \u2028' }));
    expect(canonicalJson([])).toBe('[]');
    expect(canonicalJson({})).toBe('{}');
  });

  it('refuses what JSON cannot represent exactly', () => {
    expect(() => canonicalJson({ amount: Number.NaN })).toThrow(TypeError);
    expect(() => canonicalJson([Number.POSITIVE_INFINITY])).toThrow(TypeError);
    expect(() => canonicalJson(10n)).toThrow(TypeError);
  });
});

describe('eventBody', () => {
  it('is the canonical JSON of the event id, type, data and metadata, whatever the order they were written in', () => {
    const events = [
      { eventId: 'b1a2c3d4-0000-4000-8000-000000000001', type: 'FundsPledged', data: { z: 1, a: { y: [2, { q: null, p: 'é' }] } }, metadata: { source: 's', at: '2026-01-01' } },
      { type: 'T"quoted"', metadata: {}, data: {}, eventId: 'x\ny' },
      { eventId: 'id', type: 'T', data: { list: [1, undefined, 'x'], gone: undefined }, metadata: { 'k"ey': 'line\u2028' } },
    ];
    for (const event of events) {
      expect(eventBody(event)).toBe(canonicalJson({ eventId: event.eventId, type: event.type, data: event.data, metadata: event.metadata }));
    }
  });

  it('leaves out a missing member as canonicalJson does, and refuses what JSON cannot represent', () => {
    expect(eventBody({ eventId: 'id', type: 'T', data: { a: 1 }, metadata: undefined })).toBe('{"data":{"a":1},"eventId":"id","type":"T"}');
    expect(() => eventBody({ eventId: 'id', type: 'T', data: { amount: Number.NaN }, metadata: {} })).toThrow(TypeError);
    // From plain JavaScript a type could be missing or no string: written as canonicalJson writes it.
    expect(eventBody({ eventId: 'id', type: undefined as unknown as string, data: {}, metadata: {} })).toBe('{"data":{},"eventId":"id","metadata":{}}');
    expect(() => eventBody({ eventId: 'id', type: Number.NaN as unknown as string, data: {}, metadata: {} })).toThrow(TypeError);
  });
});
