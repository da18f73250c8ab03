// LineText joins its lines in chunks as they come: the text is the lines joined, whatever their
// number against the chunk size.
import { describe, expect, it } from 'vitest';
import { LineText } from '../../backends/line-text.js';

describe('LineText', () => {
  it('is the lines joined by line breaks, across chunks and with empty lines', () => {
    for (const count of [0, 1, 2, 511, 512, 513, 1024, 1025, 3000]) {
      const lines = Array.from({ length: count }, (_, i) => (i % 7 === 3 ? '' : `line ${i}`));
      const text = new LineText();
      for (const l of lines) text.push(l);
      expect(text.text()).toBe(lines.join('\n'));
    }
  });

  it('ends with a line break after an empty last line, and can be read more than once', () => {
    const text = new LineText();
    for (let i = 0; i < 600; i++) text.push(`<member>${i}</member>`);
    text.push('');
    const once = text.text();
    expect(once.endsWith('</member>\n')).toBe(true);
    expect(text.text()).toBe(once);
  });

  it('gives its lines as flat parts that join to the text, none past the chunk size', () => {
    for (const count of [1, 2, 511, 512, 513, 1024, 1025, 3000]) {
      const lines = Array.from({ length: count }, (_, i) => (i % 5 === 2 ? '' : `ip route 10.0.${i}.0 255.255.255.0 ${i}`));
      const text = new LineText();
      for (const l of lines) text.push(l);
      const parts = text.parts();
      expect(parts.join('\n')).toBe(lines.join('\n'));
      expect(text.text()).toBe(lines.join('\n'));
      expect(parts.length).toBe(Math.ceil(count / 512));
      for (const p of parts) expect(p.split('\n').length).toBeLessThanOrEqual(512);
    }
  });
});
