// Every PAN-OS config Plumb renders (the hand-built firewall and every PAN-OS device of every
// example) through the real validators: xmllint, Palo Alto's pan-os-codegen specs, and the
// shared XML → set flattener, which must agree with the rendered .set file line for line.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PYTHON } from '../../emulator/python.js';
import { paloaltoPanosBackend as panos } from '../../backends/paloalto-panos/index.js';
import type { RenderedFile } from '../../backends/backend.js';
import { firewall, networkOf } from './vendor-fixtures.js';
import { exampleDevices } from './examples.js';
import { localFirewall } from './panos-local-fixture.js';
import { panosCodegenCheck, panosXmlToSet, runOnFile, SHARED, skipWithout, SPECS, type ToolResult } from './tools.js';

const configs: { label: string; files: RenderedFile[] }[] = [
  { label: 'hand-built fra1.fw1', files: panos.render(firewall(), networkOf([firewall()])) },
  { label: 'hand-built fra1.fw1 with its local filter', files: panos.render(localFirewall(), networkOf([localFirewall()])) },
  ...exampleDevices('paloalto-panos').map(({ example, model, device }) => ({
    label: `${example}: ${device.id}`,
    files: panos.render(device, model),
  })),
];
const xmlOf = (files: RenderedFile[]): string => files.find((f) => f.path.endsWith('.xml'))!.content;
const setOf = (files: RenderedFile[]): string => files.find((f) => f.path.endsWith('.set'))!.content;
const sortedLines = (text: string): string[] => text.split('\n').filter((l) => l !== '').sort();

describe.skipIf(skipWithout('xmllint', 'xmllint (Debian libxml2-utils)'))('xmllint --noout', () => {
  for (const { label, files } of configs) {
    it(`${label}: well formed`, async () => {
      const r = await runOnFile('config.xml', xmlOf(files), 'xmllint', (p) => ['--noout', p]);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
    });
  }
  it('rejects XML that is not well formed (the check can fail)', async () => {
    const r = await runOnFile('bad.xml', '<config><devices></config>', 'xmllint', (p) => ['--noout', p]);
    expect(r.status).not.toBe(0);
  });
});

describe.skipIf(skipWithout('xmlToSet', `python3 or ${SHARED}/panos_xml_to_set.py`))('panos_xml_to_set.py', () => {
  for (const { label, files } of configs) {
    it(`${label}: the .set file is the XML's set form`, async () => {
      const r = await panosXmlToSet('config.xml', xmlOf(files));
      expect(r.status).toBe(0);
      expect(sortedLines(setOf(files))).toEqual(sortedLines(r.stdout));
    });
  }
});

// concurrent: the two runs are independent, and each spends its time loading the specs
describe.skipIf(skipWithout('codegen', `python3 with python3-yaml, ${SHARED}/panos_codegen_check.py or ${SPECS}`))(
  'panos_codegen_check.py against the pan-os-codegen specs',
  () => {
    it.concurrent(
      'every rendered config: no unknown elements, enums or booleans (one run over all of them)',
      async () => {
        // The checker spends its time loading the specs, and checks element paths only: one
        // document holding every config's device entry checks them all in one run.
        const entries = configs.map(({ files }) => {
          const xml = xmlOf(files);
          return xml.slice(xml.indexOf('<devices>') + '<devices>'.length, xml.lastIndexOf('</devices>'));
        });
        const all = `<?xml version="1.0"?>\n<config version="10.1.0">\n<devices>${entries.join('')}</devices>\n</config>\n`;
        const r = await panosCodegenCheck('all.xml', all);
        console.log(`panos_codegen_check over ${configs.length} configs: ${Math.round(r.ms)} ms; ${r.stdout.split('\n')[0]}`);
        expect(r.stdout.split('\n').filter((l) => l.startsWith('ERROR'))).toEqual([]);
        expect(r.stdout).toMatch(/\d+ elements checked/);
        expect(r.status).toBe(0);
      },
      180_000,
    );
    it.concurrent(
      'reports an invalid boolean (the check can fail)',
      async () => {
        const bad = xmlOf(configs[0]!.files).replace('<enable>yes</enable>', '<enable>true</enable>');
        const r = await panosCodegenCheck('bad.xml', bad);
        expect(r.stdout).toContain('bool must be yes/no');
        expect(r.status).toBe(1);
      },
      120_000,
    );
  },
);

describe.skipIf(skipWithout('codegen', `python3 with python3-yaml, ${SHARED}/panos_codegen_check.py or ${SPECS}`))(
  'panos_codegen_check.py with the specs parsed once (panos-specs-cached.py)',
  () => {
    const spec = (type: string): string => `name: switch
panos_xpath:
  path: [switch]
locations:
  - name: vsys
    xpath:
      path: [config, devices, $device, vsys, $vsys]
spec:
  params:
    - name: enable
      type: ${type}
      profiles: [{ xpath: [enable] }]
`;
    const xml = '<config><devices><entry name="d"><vsys><entry name="v"><switch><entry name="s"><enable>true</enable></entry></switch></entry></vsys></entry></devices></config>\n';
    const direct = (specs: string): Promise<ToolResult> => runOnFile('x.xml', xml, PYTHON, (p) => [join(SHARED, 'panos_codegen_check.py'), specs, p]);

    it('prints and exits as the script run directly, from the cache too, and parses an edited spec again', async () => {
      const specs = mkdtempSync(join(tmpdir(), 'plumb-specs-'));
      try {
        writeFileSync(join(specs, 'switch.yaml'), spec('bool'));
        const bool = await direct(specs);
        expect(bool.stdout).toContain("bool must be yes/no, got 'true'");
        expect(bool.status).toBe(1);
        for (let run = 0; run < 2; run++) {
          const cached = await panosCodegenCheck('x.xml', xml, specs);
          expect({ stdout: cached.stdout, status: cached.status }).toEqual({ stdout: bool.stdout, status: bool.status });
        }
        // The same file, another text: a cache keyed by anything but the text would keep the bool.
        writeFileSync(join(specs, 'switch.yaml'), spec('string'));
        const string = await direct(specs);
        expect(string.stdout).toMatch(/1 elements checked/);
        expect(string.status).toBe(0);
        const cached = await panosCodegenCheck('x.xml', xml, specs);
        expect({ stdout: cached.stdout, status: cached.status }).toEqual({ stdout: string.stdout, status: 0 });
      } finally {
        rmSync(specs, { recursive: true, force: true });
      }
    });
  },
);
