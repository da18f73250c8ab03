// The escaping primitive and origin tags: any text and any path round-trip, and what is written
// never holds a character its language cannot carry.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeText, isInvisibleOrBreak, isRepeatedSpace, lineText, lineUnsafe, unescapeText } from '../../backends/text-escape.js';
import { encodePath, formatOriginTag, parseOriginTag } from '../../backends/origin-tag.js';
import { iosText } from '../../backends/cisco-iosxe/text.js';
import { panosText } from '../../backends/paloalto-panos/xml.js';
import { hostileText } from './hostile.js';

describe('escapeText / unescapeText', () => {
  it('round-trips any text for any choice of unsafe characters, and writes none of them', () => {
    const extra = fc.subarray([' ', '"', '#', '!', '?', 'é']);
    fc.assert(
      fc.property(hostileText, extra, (text, more) => {
        const unsafe = (c: string, i: number, t: string): boolean => lineUnsafe(c, i, t) || more.includes(c);
        const written = escapeText(text, unsafe);
        expect(unescapeText(written)).toBe(text);
        // Every character checked, with one assertion for them all (an assertion per character
        // was most of the test's time): none invisible or a break, none of `more` but a space.
        expect([...written].filter((c) => isInvisibleOrBreak(c) || (c !== ' ' && more.includes(c)))).toEqual([]);
        expect(written).not.toMatch(/^ | $/);
      }),
      { seed: 12, numRuns: 2000 },
    );
  });

  it('leaves benign text as it is, `%` included unless it would start an escape', () => {
    expect(lineText('segment web: 100% uptime, "DMZ" #1!')).toBe('segment web: 100% uptime, "DMZ" #1!');
    expect(lineText('50%25 off')).toBe('50%2525 off');
    expect(lineText('x\ntouch PWNED')).toBe('x%0Atouch PWNED');
    expect(lineText(' lead\ttab\u202eevil ')).toBe('%20lead%09tab%E2%80%AEevil%20');
    expect(lineText('\ud800')).toBe('%uD800');
  });

  it('writes plain text as the test of every character would, in every language that skips the test', () => {
    // Mostly printable ASCII, where the shortcut applies, with the characters at its edges.
    const nearlyPlain = fc
      .array(fc.constantFrom('a', 'Z', '0', '-', '>', ' ', ' ', '%', '2', 'F', 'u', '"', '~', '\x7f', '\t', 'é', '\u202e'), { maxLength: 12 })
      .map((p) => p.join(''));
    const each: [string, (t: string) => string, (c: string, i: number, t: string) => boolean][] = [
      ['lineText', lineText, lineUnsafe],
      ['iosText', iosText, (c, i, t) => lineUnsafe(c, i, t) || c > '\x7e'],
      ['panosText', panosText, (c, i, t) => lineUnsafe(c, i, t) || c === '"' || isRepeatedSpace(c, i, t) || (/\s/.test(c) && c !== ' ')],
    ];
    fc.assert(
      fc.property(fc.oneof(nearlyPlain, hostileText), (text) => {
        for (const [, write, unsafe] of each) expect(write(text)).toBe(escapeText(text, unsafe));
      }),
      { seed: 33, numRuns: 3000 },
    );
    expect(iosText('allow web -> db : https')).toBe('allow web -> db : https');
    expect(iosText('a  b %41')).toBe('a  b %2541');
    expect(panosText('a  b')).toBe('a %20b');
  });

  it('reads hand-written text leniently: a `%` that starts no escape is kept', () => {
    expect(unescapeText('100% sure')).toBe('100% sure');
    expect(unescapeText('%ZZ %C3 %FF %E2%80')).toBe('%ZZ %C3 %FF %E2%80');
    expect(unescapeText('Z%C3%BCrich')).toBe('Zürich');
  });
});

describe('origin tags', () => {
  const span = (file: string) => ({
    file,
    start: { line: 3, column: 1, offset: 40 },
    end: { line: 3, column: 9, offset: 48 },
  });

  it('encode any path as one word of ASCII that decodes to the path', () => {
    fc.assert(
      fc.property(hostileText, (file) => {
        const tag = formatOriginTag(span(file));
        expect(tag).toMatch(/^[\x21-\x7e]+ \[40,48\]$/);
        expect(tag).not.toMatch(/["'#!;`$\\]/);
        expect(parseOriginTag(tag)).toEqual(span(file));
      }),
      { seed: 5, numRuns: 2000 },
    );
  });

  it('encode and decode each path of tags met in turn, one file after another and back', () => {
    const files = ['a b.plumb', 'a b.plumb', 'c#d.plumb', 'a b.plumb', '', 'c#d.plumb', 'c#d.plumb'];
    const tags = files.map((f) => formatOriginTag(span(f)));
    expect(tags.map((t) => t.split(':')[0])).toEqual(['a%20b.plumb', 'a%20b.plumb', 'c%23d.plumb', 'a%20b.plumb', '', 'c%23d.plumb', 'c%23d.plumb']);
    expect(tags.map((t) => parseOriginTag(t)?.file)).toEqual(files);
  });

  it('keep ordinary paths readable', () => {
    expect(formatOriginTag(span('examples/acme/acme.plumb'))).toBe('examples/acme/acme.plumb:3:1-3:9 [40,48]');
    expect(encodePath('x\ntouch PWNED\n.plumb')).toBe('x%0Atouch%20PWNED%0A.plumb');
    expect(encodePath('C:\\net\\b c#1.plumb')).toBe('C:%5Cnet%5Cb%20c%231.plumb');
  });
});
