import { canonicalJson } from './canonical';

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
