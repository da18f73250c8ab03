// The framing filter in front of the protocol library (lsp/message-limit.ts): messages up to the
// limit pass byte for byte, larger ones become one small stand-in notification that names their
// size, method, document and id, however the bytes are cut into chunks (seeded).

import { PassThrough } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { boundedMessages, OVERSIZED_MESSAGE } from '../../lsp/message-limit.js';

const frame = (body: string): Buffer => {
  const bytes = Buffer.from(body, 'utf8');
  return Buffer.concat([Buffer.from(`Content-Length: ${bytes.length}\r\n\r\n`), bytes]);
};

async function filtered(input: Buffer, cuts: number[], maxBytes: number): Promise<Buffer> {
  const source = new PassThrough();
  const out: Buffer[] = [];
  const stream = boundedMessages(source, maxBytes);
  stream.on('data', (d: Buffer) => out.push(d));
  const ended = new Promise((r) => stream.on('end', r));
  let at = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    source.write(input.subarray(at, cut));
    at = cut;
  }
  source.end(input.subarray(at));
  await ended;
  return Buffer.concat(out);
}

describe('boundedMessages', () => {
  const small = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'textDocument/hover', params: { textDocument: { uri: 'file:///a.plumb' } } });
  const smallUnicode = JSON.stringify({ jsonrpc: '2.0', method: 'textDocument/didOpen', params: { textDocument: { uri: 'file:///é.plumb', text: 'ü€😀' } } });
  const large = JSON.stringify({ jsonrpc: '2.0', method: 'textDocument/didOpen', params: { textDocument: { uri: 'file:///big.plumb', version: 1, text: 'x'.repeat(5000) } } });
  const largeRequest = JSON.stringify({ jsonrpc: '2.0', id: 'r7', method: 'plumb/x', params: { junk: 'y'.repeat(3000) } });
  const stand = (bytes: number, extra: Record<string, unknown>): string =>
    JSON.stringify({ jsonrpc: '2.0', method: OVERSIZED_MESSAGE, params: { bytes, ...extra } });

  it('passes small messages and replaces large ones, wherever the chunks are cut', async () => {
    const input = Buffer.concat([frame(small), frame(large), frame(smallUnicode), frame(largeRequest), frame(small)]);
    const expected = Buffer.concat([
      frame(small),
      frame(stand(Buffer.byteLength(large), { method: 'textDocument/didOpen', uri: 'file:///big.plumb' })),
      frame(smallUnicode),
      frame(stand(Buffer.byteLength(largeRequest), { method: 'plumb/x', id: 'r7' })),
      frame(small),
    ]);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: input.length }), { maxLength: 30 }), async (cuts) => {
        expect((await filtered(input, cuts, 1000)).equals(expected)).toBe(true);
      }),
      { seed: 12, numRuns: 200 },
    );
  });

  it('passes on what is not LSP framing for the library to reject', async () => {
    const junk = Buffer.from('not a header at all'.repeat(1000));
    expect((await filtered(junk, [7, 300], 1000)).equals(junk)).toBe(true);
  });
});
