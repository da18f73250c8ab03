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
});
