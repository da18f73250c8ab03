// Every R95x example in docs/diagnostics.md triggers its code when the IOS-XE or PAN-OS reader
// reads it (```ios: a <device>.cfg; ```xml: a <device>.xml; ```set: a <device>.set next to
// the hand-built firewall's XML).

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ciscoIosxeBackend } from '../../backends/cisco-iosxe/index.js';
import { paloaltoPanosBackend } from '../../backends/paloalto-panos/index.js';
import { contextOf, edgeRouter, firewall, networkOf } from './vendor-fixtures.js';

interface Example {
  code: string;
  fence: string;
  text: string;
}

function examples(): Example[] {
  const out: Example[] = [];
  let code: string | undefined;
  let fence: string | undefined;
  let block: string[] = [];
  for (const line of readFileSync('docs/diagnostics.md', 'utf8').split('\n')) {
    const heading = /^### (R9[0-9]{2})\b/.exec(line);
    if (heading) code = heading[1];
    else if (line.startsWith('### ')) code = undefined;
    if (fence !== undefined) {
      if (line.startsWith('```')) {
        if (code && /^R95/.test(code)) out.push({ code, fence, text: block.join('\n') + '\n' });
        fence = undefined;
      } else block.push(line);
    } else if (line.startsWith('```')) {
      fence = line.slice(3).trim();
      block = [];
    }
  }
  return out;
}

function diagnosticsOf(e: Example): string[] {
  if (e.fence === 'ios') return ciscoIosxeBackend.read([{ path: 'edge1.cfg', content: e.text }], contextOf(edgeRouter())).diagnostics.map((d) => d.code);
  if (e.fence === 'xml') return paloaltoPanosBackend.read([{ path: 'fw1.xml', content: e.text }], contextOf(firewall())).diagnostics.map((d) => d.code);
  if (e.fence === 'set') {
    const xml = paloaltoPanosBackend.render(firewall(), networkOf([firewall()]))[0]!;
    return paloaltoPanosBackend.read([xml, { path: 'fw1.set', content: e.text }], contextOf(firewall())).diagnostics.map((d) => d.code);
  }
  throw new Error(`unexpected example language ${e.fence}`);
}

describe('docs/diagnostics.md: the R95x examples', () => {
  const all = examples();
  it('every code R950-R958 has an example', () => {
    expect([...new Set(all.map((e) => e.code))].sort()).toEqual(['R950', 'R951', 'R952', 'R953', 'R954', 'R955', 'R956', 'R957', 'R958']);
  });
  for (const e of all) {
    it(`${e.code}: its ${e.fence} example triggers it`, () => {
      expect(diagnosticsOf(e)).toContain(e.code);
    });
  }
});
