// The structured fixes the front end attaches where a hint proposes one exact text: each one
// replaces exactly the text the hint is about with exactly the text it proposes, and a hint that
// proposes nothing exact (several names, a shape) carries none.

import { describe, expect, it } from 'vitest';
import { analyze } from '../../language/analyze.js';

/** Every fix of the diagnostics of `text`: the code, the text it replaces and the replacement. */
function fixesOf(text: string): { code: string; hint: string | undefined; replaced: string; with: string }[] {
  return analyze([{ path: 'fix.plumb', text }]).diagnostics.flatMap((d) =>
    (d.fix ?? []).map((edit) => ({
      code: d.code,
      hint: d.hint,
      replaced: text.slice(edit.replace.start.offset, edit.replace.end.offset),
      with: edit.with,
    })),
  );
}

const BASE = `network t
pool infra 10.255.0.0/16
site s {
  router r1 frr
  router r2 frr
  link r1 -- r2
}
site t {
  router edge frr
}
link s.r2 -- t.edge
segment web 10.1.0.0/24 at s.r1
segment office 10.2.0.0/24 at s.r2
service admin = tcp 22
policy {
  allow office -> web : https, admin
}
`;

describe('fixes', () => {
  it('a misspelt keyword, name, service, protocol, platform or ICMP type is replaced by the proposal', () => {
    expect(fixesOf(`${BASE}segmnt db 10.3.0.0/24 at s.r1\n`)).toEqual([
      { code: 'P103', hint: 'did you mean `segment`?', replaced: 'segmnt', with: 'segment' },
    ]);
    expect(fixesOf(BASE.replace('allow office -> web', 'allow office -> wbe'))).toEqual([
      { code: 'P201', hint: 'did you mean `web`?', replaced: 'wbe', with: 'web' },
    ]);
    expect(fixesOf(BASE.replace('https, admin', 'https, admn'))).toEqual([
      { code: 'P201', hint: 'did you mean `admin`?', replaced: 'admn', with: 'admin' },
    ]);
    expect(fixesOf(BASE.replace('= tcp 22', '= tpc'))).toEqual([{ code: 'P201', hint: 'did you mean `tcp`?', replaced: 'tpc', with: 'tcp' }]);
    expect(fixesOf(BASE.replace('router r1 frr', 'router r1 fr'))).toEqual([{ code: 'P501', hint: 'did you mean `frr`?', replaced: 'fr', with: 'frr' }]);
    expect(fixesOf(BASE.replace('tcp 22', 'icmp time-exceded'))).toEqual([
      { code: 'P404', hint: 'did you mean `time-exceeded`?', replaced: 'time-exceded', with: 'time-exceeded' },
    ]);
  });

  it('a device keeps its written site, or takes the site that has it', () => {
    expect(fixesOf(BASE.replace('link s.r2 -- t.edge', 'link s.r3 -- t.edge'))).toEqual([
      { code: 'P201', hint: 'did you mean `s.r1`?', replaced: 'r3', with: 'r1' },
    ]);
    expect(fixesOf(BASE.replace('link s.r2 -- t.edge', 'link s.r2 -- s.edge'))).toEqual([
      { code: 'P201', hint: 'did you mean `t.edge`?', replaced: 's.edge', with: 't.edge' },
    ]);
    expect(fixesOf(BASE.replace('link s.r2 -- t.edge', 'link s.r2 -- edge'))).toEqual([
      { code: 'P204', hint: 'write `t.edge`', replaced: 'edge', with: 't.edge' },
    ]);
  });

  it('a reversed port range and a prefix with host bits are written the right way', () => {
    expect(fixesOf(BASE.replace('tcp 22', 'tcp 90-80'))).toEqual([{ code: 'P402', hint: 'write `80-90`', replaced: '90-80', with: '80-90' }]);
    expect(fixesOf(BASE.replace('10.2.0.0/24', '10.2.0.1/24'))).toEqual([
      { code: 'P302', hint: 'a network is written with its first address: `10.2.0.0/24`', replaced: '10.2.0.1/24', with: '10.2.0.0/24' },
    ]);
  });

  it('a hint that proposes no one text carries no fix', () => {
    const twoSites = BASE.replace('  router edge frr\n', '  router edge frr\n  router r1 frr\n');
    const diagnostics = analyze([{ path: 'fix.plumb', text: `${twoSites}segment db 10.3.0.0/24 at r1\n` }]).diagnostics;
    const p204 = diagnostics.find((d) => d.code === 'P204')!;
    expect(p204.hint).toBe('write one of `s.r1`, `t.r1`');
    expect(p204.fix).toBeUndefined();
    expect(fixesOf(`${BASE}subnet db 10.3.0.0/24\n`)).toEqual([]);
  });
});
