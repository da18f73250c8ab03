// The pending folder of a compile output: files given as text or as their UTF-8 bytes are put
// down alike (content, mode, size in bytes, sha256), each under its number in the one flat
// folder new/, whatever site and device folder it goes to.

import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sha256 } from '../../backends/output.js';
import { PendingOutput } from '../../backends/output-write.js';

const root = mkdtempSync(join(tmpdir(), 'plumb-pending-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('PendingOutput.add', () => {
  it('puts down text and bytes alike, in shared and new folders', () => {
    const pending = PendingOutput.open(join(root, 'out'));
    const text = 'hostname r1\n! é and ✓: not ASCII\n';
    const files = [
      { path: 'site-a/r1/a.cfg', content: text },
      { path: 'site-a/r1/b.cfg', content: Buffer.from(text, 'utf8') },
      { path: 'site-a/r2/c.cfg', content: 'two\n' },
      { path: 'site-b/r3/d.cfg', content: Buffer.from('three\n', 'utf8') },
    ];
    for (const f of files) pending.add(f.path, f.content, 0o600);
    expect(readdirSync(join(pending.path, 'new')).sort()).toEqual(['0', '1', '2', '3']);
    for (const [i, f] of files.entries()) {
      const on = join(pending.path, 'new', String(i));
      expect(readFileSync(on)).toEqual(Buffer.from(f.content));
      expect(statSync(on).mode & 0o777).toBe(0o600);
    }
    expect(pending.files).toEqual(
      files.map((f, i) => ({
        path: f.path,
        mode: 0o600,
        sha256: sha256(Buffer.from(f.content).toString('utf8')),
        size: Buffer.from(f.content).length,
        name: String(i),
      })),
    );
    // The text and its bytes: one hash, one size.
    expect(pending.files[0]!.sha256).toBe(pending.files[1]!.sha256);
    expect(pending.files[0]!.size).toBe(Buffer.byteLength(text));
    pending.discard();
  });
});
