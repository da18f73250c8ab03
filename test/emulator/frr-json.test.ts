// vtysh's answers to several `show ... json` commands in one run: JSON values one after the other.

import { describe, expect, it } from 'vitest';
import { jsonValues } from '../../emulator/frr.js';

describe('the JSON values of one vtysh run', () => {
  it('splits pretty-printed values written one after the other, in order', () => {
    const text = '{\n  "10.0.0.0/24":[\n    {"protocol":"ospf"}\n  ]\n}\n{\n}\n[1, {"a": [2]}]\n';
    expect(jsonValues(text)).toEqual([{ '10.0.0.0/24': [{ protocol: 'ospf' }] }, {}, [1, { a: [2] }]]);
  });

  it('reads braces and escaped quotes inside strings as text', () => {
    expect(jsonValues('{"a":"}{ \\" ]"}{"b":"\\\\"}')).toEqual([{ a: '}{ " ]' }, { b: '\\' }]);
  });

  it('refuses text that is not only JSON values (a daemon not running, a cut answer)', () => {
    expect(jsonValues('{"a":1}\nbgpd is not running\n')).toBeUndefined();
    expect(jsonValues('{"a":1}{"b":')).toBeUndefined();
    expect(jsonValues('{"a":1}}')).toBeUndefined();
    expect(jsonValues('{"a":tru}')).toBeUndefined();
    expect(jsonValues('')).toEqual([]);
  });
});
