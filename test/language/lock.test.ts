// plumb.lock read and written: every malformed line is a P320 at its line and column, a lock
// written and read again holds the same entries, and other networks' sections are kept.

import { describe, expect, it } from 'vitest';
import { analyze } from '../../language/analyze.js';
import { describeItem, isLockPath, parseLock, renderLock } from '../../language/lock.js';

const INTENT = 'network n\npool p 10.255.0.0/24\nsite s {\n  router a frr\n  router b frr\n  link a -- b\n}\n';

function problems(lock: string): string[] {
  return parseLock(lock, 'plumb.lock').diagnostics.map((d) => `${d.code} ${d.span.start.line}:${d.span.start.column}-${d.span.end.column} ${d.message}`);
}

describe('parseLock', () => {
  it('reads sections, loopbacks, links with pinned interfaces and parallel links', () => {
    const lock = parseLock(
      '# comment\nnetwork n\n  loopback s.a 10.255.0.1/32\nlink s.b -- s.a:eth1 #2 10.255.0.6/31\nloopback s.a 2001:DB8::1/128\n\nnetwork other\nloopback x.y 10.0.0.1/32\n',
      'plumb.lock',
    );
    expect(lock.diagnostics).toEqual([]);
    expect(lock.sections.map((s) => [s.network, s.entries.map((e) => `${e.item} ${e.prefix} @${e.span.start.line}:${e.span.start.column}`)])).toEqual([
      ['n', ['loopback:s.a 10.255.0.1/32 @3:3', 'link:s.a:eth1--s.b#2 10.255.0.6/31 @4:1', 'loopback:s.a 2001:db8::1/128 @5:1']],
      ['other', ['loopback:x.y 10.0.0.1/32 @8:1']],
    ]);
  });

  it('names each malformed line with its position and what is wrong', () => {
    expect(
      problems(
        [
          'loopback s.a 10.255.0.1/32',
          'network n',
          'loopback s.a 10.255.0.1/31',
          'link s.a -- s.b 10.255.0.7/31',
          'link s.a - s.b 10.255.0.8/31',
          'link s.a -- s.b #16 10.255.0.8/31',
          'loopback s.a banana',
          'router s.a 10.255.0.1/32',
          'loopback s.b 10.255.0.2/32',
          '  loopback s.b 10.255.0.3/32',
          'network n',
          '<<<<<<< HEAD',
        ].join('\n'),
      ),
    ).toEqual([
      'P320 1:1-27 `loopback` before any `network NAME` line',
      'P320 3:1-27 a loopback takes a /32, not `10.255.0.1/31`',
      'P320 4:1-30 `10.255.0.7/31` is not the first address of its /31',
      'P320 5:1-29 expected `link END -- END [#K] PREFIX` (K from 1 to 15), found `link s.a - s.b 10.255.0.8/31`',
      'P320 6:1-34 expected `link END -- END [#K] PREFIX` (K from 1 to 15), found `link s.a -- s.b #16 10.255.0.8/31`',
      'P320 7:1-20 `banana` is not an address with its length (e.g. 10.255.0.1/32)',
      'P320 8:1-25 unknown line `router s.a 10.255.0.1/32` in plumb.lock: a line is `network NAME`, `loopback DEVICE PREFIX` or `link END -- END [#K] PREFIX`',
      'P320 10:3-29 loopback s.b has two IPv4 entries in plumb.lock',
      'P320 11:1-10 network n has two sections in plumb.lock',
      'P320 12:1-13 plumb.lock holds a merge conflict marker',
    ]);
  });

  it('round-trips: what renderLock writes reads back as the same entries, sorted by address', () => {
    const text = renderLock(undefined, 'n', [
      { item: 'link:s.a--s.b#1', prefix: '10.255.0.8/31' },
      { item: 'loopback:s.a', prefix: '2001:db8::1/128' },
      { item: 'loopback:s.a', prefix: '10.255.0.1/32' },
    ]);
    expect(text.split('\n').filter((l) => !l.startsWith('#'))).toEqual(['', 'network n', 'loopback s.a 10.255.0.1/32', 'link s.a -- s.b #1 10.255.0.8/31', 'loopback s.a 2001:db8::1/128', '']);
    const read = parseLock(text, 'plumb.lock');
    expect(read.diagnostics).toEqual([]);
    expect(read.sections[0]!.entries.map((e) => `${e.item} ${e.prefix}`)).toEqual(['loopback:s.a 10.255.0.1/32', 'link:s.a--s.b#1 10.255.0.8/31', 'loopback:s.a 2001:db8::1/128']);
  });

  it("keeps other networks' sections and drops an emptied one", () => {
    const previous = parseLock('network zeta\nloopback z.z 10.9.0.1/32\nnetwork n\nloopback s.a 10.255.0.1/32\n', 'plumb.lock');
    const text = renderLock(previous, 'alpha', [{ item: 'loopback:a.a', prefix: '10.8.0.1/32' }]);
    expect(text.split('\n').filter((l) => l.startsWith('network'))).toEqual(['network alpha', 'network n', 'network zeta']);
    expect(renderLock(previous, 'n', []).split('\n').filter((l) => l.startsWith('network'))).toEqual(['network zeta']);
  });

  it('names items as the lock writes them', () => {
    expect(describeItem('loopback:s.a')).toBe('loopback s.a');
    expect(describeItem('link:s.a:eth1--s.b#0')).toBe('link s.a:eth1 -- s.b');
    expect(describeItem('link:s.a--s.b#3')).toBe('link s.a -- s.b #3');
    expect(isLockPath('plumb.lock') && isLockPath('x/plumb.lock') && !isLockPath('x/plumb.lock.plumb')).toBe(true);
  });
});

describe('analyze with a lock', () => {
  it("puts the network's entries in the checked intent, and ignores other networks' sections", () => {
    const a = analyze([
      { path: 'n.plumb', text: INTENT },
      { path: 'plumb.lock', text: 'network other\nloopback s.a 10.9.9.9/32\nnetwork n\nloopback s.a 10.255.0.9/32\n' },
    ]);
    expect(a.diagnostics).toEqual([]);
    expect(a.intent!.lock!.map((e) => `${e.item} ${e.prefix}`)).toEqual(['loopback:s.a 10.255.0.9/32']);
  });

  it('stops on a malformed lock, as on any error of the intent', () => {
    const a = analyze([
      { path: 'n.plumb', text: INTENT },
      { path: 'dir/plumb.lock', text: 'network n\nloopback s.a 10.255.0.9\n' },
    ]);
    expect(a.intent).toBeUndefined();
    expect(a.diagnostics.map((d) => `${d.code} ${d.span.file}:${d.span.start.line}`)).toEqual(['P320 dir/plumb.lock:2']);
  });

  it('refuses a second lock', () => {
    const a = analyze([
      { path: 'n.plumb', text: INTENT },
      { path: 'a/plumb.lock', text: '' },
      { path: 'b/plumb.lock', text: '' },
    ]);
    expect(a.diagnostics.map((d) => `${d.code} ${d.span.file} ${d.message}`)).toEqual(["P320 b/plumb.lock a second lock file: the intent's lock is a/plumb.lock"]);
  });
});
