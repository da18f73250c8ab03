// The PAN-OS configs with NAT rules (paloalto-panos-nat-models.ts) through the real validators:
// xmllint, Palo Alto's pan-os-codegen specs (the NAT rule's elements, its `bi-directional`
// boolean) and the shared XML → set flattener, which must agree with the rendered .set file.

import { describe, expect, it } from 'vitest';
import type { RenderedFile } from '../../backends/backend.js';
import { internetPanos, overlappingPanos, renderEdge } from './paloalto-panos-nat-models.js';
import { panosCodegenCheck, panosXmlToSet, runOnFile, SHARED, skipWithout, SPECS } from './tools.js';

const configs: { label: string; files: RenderedFile[] }[] = [
  { label: 'overlapping address spaces', files: renderEdge(overlappingPanos()) },
  { label: 'internet edge', files: renderEdge(internetPanos()) },
];
const xmlOf = (files: RenderedFile[]): string => files.find((f) => f.path.endsWith('.xml'))!.content;
const setOf = (files: RenderedFile[]): string => files.find((f) => f.path.endsWith('.set'))!.content;
const sortedLines = (text: string): string[] => text.split('\n').filter((l) => l !== '').sort();

describe.skipIf(skipWithout('xmllint', 'xmllint (Debian libxml2-utils)'))('NAT configs: xmllint --noout', () => {
  for (const { label, files } of configs) {
    it(`${label}: well formed`, async () => {
      const r = await runOnFile('config.xml', xmlOf(files), 'xmllint', (p) => ['--noout', p]);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
    });
  }
});

describe.skipIf(skipWithout('xmlToSet', `python3 or ${SHARED}/panos_xml_to_set.py`))('NAT configs: panos_xml_to_set.py', () => {
  for (const { label, files } of configs) {
    it(`${label}: the .set file is the XML's set form`, async () => {
      const r = await panosXmlToSet('config.xml', xmlOf(files));
      expect(r.status).toBe(0);
      expect(sortedLines(setOf(files))).toEqual(sortedLines(r.stdout));
    });
  }
});

// concurrent: the two runs are independent, and each spends its time loading the specs
describe.skipIf(skipWithout('codegen', `python3 with python3-yaml, ${SHARED}/panos_codegen_check.py or ${SPECS}`))('NAT configs: panos_codegen_check.py', () => {
  it.concurrent(
    'both configs: no unknown element, enum or boolean (one run)',
    async () => {
      const entries = configs.map(({ files }) => {
        const xml = xmlOf(files);
        return xml.slice(xml.indexOf('<devices>') + '<devices>'.length, xml.lastIndexOf('</devices>'));
      });
      const all = `<?xml version="1.0"?>\n<config version="10.1.0">\n<devices>${entries.join('')}</devices>\n</config>\n`;
      const r = await panosCodegenCheck('all.xml', all);
      expect(r.stdout.split('\n').filter((l) => l.startsWith('ERROR'))).toEqual([]);
      expect(r.stdout).toMatch(/\d+ elements checked/);
      expect(r.status).toBe(0);
    },
    240_000,
  );
  it.concurrent(
    "reports a NAT rule's bi-directional flag that is not yes/no (the check can fail)",
    async () => {
      const bad = xmlOf(configs[0]!.files).replace('<bi-directional>yes</bi-directional>', '<bi-directional>true</bi-directional>');
      const r = await panosCodegenCheck('bad.xml', bad);
      expect(r.stdout).toContain("bi-directional: 'true' not in ['yes', 'no']");
      expect(r.status).toBe(1);
    },
    240_000,
  );
});
