import { describe, expect, it } from 'vitest';
import { editDistance, suggest } from '../../language/suggest.js';

describe('suggest', () => {
  it('measures edits, counting a transposition as one', () => {
    expect(editDistance('web', 'web')).toBe(0);
    expect(editDistance('wbe', 'web')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('abc', '')).toBe(3);
    expect(editDistance('abcdef', 'uvwxyz', 2)).toBe(3);
  });

  it('suggests only plausible typos, deterministically', () => {
    expect(suggest('wbe', ['db', 'web', 'guest'])).toBe('web');
    expect(suggest('office', ['web', 'db'])).toBeUndefined();
    expect(suggest('ab', ['ac', 'aa'])).toBe('aa');
    expect(suggest('postgress', ['postgres', 'postgres-rw'])).toBe('postgres');
    expect(suggest('Web', ['web'])).toBe('web');
  });
});
