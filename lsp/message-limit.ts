// The byte stream from the client, with every JSON-RPC message larger than MAX_MESSAGE_BYTES
// taken out before the protocol library reads it: that library keeps a whole message in memory
// and parses it, so one message of a gigabyte would end the server. An oversized message is
// read through and dropped, keeping only its first bytes, and a small notification takes its
// place (`$/plumb/oversizedMessage`, with the size and, when its first bytes show them, the
// method, the document URI and the request id), so that the server can say what it dropped.
// Framing is LSP's: headers ending in an empty line, then `Content-Length` bytes of body.

import { Transform, type Readable, type TransformCallback } from 'node:stream';

/** The method of the notification that stands for a dropped message. */
export const OVERSIZED_MESSAGE = '$/plumb/oversizedMessage';

export interface OversizedMessage {
  bytes: number;
  method?: string;
  uri?: string;
  id?: number | string;
}

/** Headers longer than this are not LSP headers: they are passed on, and the library rejects them. */
const MAX_HEADER_BYTES = 8 * 1024;
/** How much of a dropped body is kept to tell what it was. */
const PEEK_BYTES = 4 * 1024;
const HEADER_END = Buffer.from('\r\n\r\n');

/** `input` with every message over `maxBytes` replaced by an OVERSIZED_MESSAGE notification. */
export function boundedMessages(input: Readable, maxBytes: number): Readable {
  return input.pipe(new MessageLimit(maxBytes));
}

class MessageLimit extends Transform {
  private header = Buffer.alloc(0);
  /** Bytes of the current body still to pass on (or drop). */
  private remaining = 0;
  private dropping: { bytes: number; peek: Buffer[]; peeked: number } | undefined;

  constructor(private readonly maxBytes: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    let at = 0;
    while (at < chunk.length) {
      if (this.remaining > 0) {
        const n = Math.min(this.remaining, chunk.length - at);
        const part = chunk.subarray(at, at + n);
        if (this.dropping) {
          if (this.dropping.peeked < PEEK_BYTES) {
            const kept = part.subarray(0, PEEK_BYTES - this.dropping.peeked);
            this.dropping.peek.push(Buffer.from(kept));
            this.dropping.peeked += kept.length;
          }
        } else {
          this.push(part);
        }
        this.remaining -= n;
        at += n;
        if (this.remaining === 0 && this.dropping) this.replaceDropped();
        continue;
      }
      // Reading headers: up to the empty line that ends them.
      const rest = chunk.subarray(at);
      const joined = this.header.length > 0 ? Buffer.concat([this.header, rest]) : rest;
      const end = joined.indexOf(HEADER_END);
      if (end < 0) {
        if (joined.length > MAX_HEADER_BYTES) {
          this.push(joined);
          this.header = Buffer.alloc(0);
        } else {
          this.header = Buffer.from(joined);
        }
        break;
      }
      const headerBytes = joined.subarray(0, end + HEADER_END.length);
      const consumed = headerBytes.length - this.header.length;
      this.header = Buffer.alloc(0);
      at += consumed;
      const length = /content-length:\s*(\d+)/i.exec(headerBytes.toString('ascii'));
      const bytes = length ? Number(length[1]) : 0;
      if (bytes > this.maxBytes) {
        this.dropping = { bytes, peek: [], peeked: 0 };
      } else {
        this.push(headerBytes);
      }
      this.remaining = bytes;
      if (bytes === 0 && this.dropping) this.replaceDropped();
    }
    done();
  }

  override _flush(done: TransformCallback): void {
    if (this.header.length > 0) this.push(this.header);
    done();
  }

  private replaceDropped(): void {
    const dropped = this.dropping!;
    this.dropping = undefined;
    const params: OversizedMessage = { bytes: dropped.bytes, ...described(Buffer.concat(dropped.peek).toString('utf8')) };
    const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', method: OVERSIZED_MESSAGE, params }), 'utf8');
    this.push(Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'));
    this.push(body);
  }
}

/** What the first bytes of a message show: its method, request id and document URI. */
function described(head: string): Omit<OversizedMessage, 'bytes'> {
  const out: Omit<OversizedMessage, 'bytes'> = {};
  const method = /"method"\s*:\s*"([^"\\]{1,100})"/.exec(head);
  if (method) out.method = method[1]!;
  const uri = /"uri"\s*:\s*"([^"\\]{1,2000})"/.exec(head);
  if (uri) out.uri = uri[1]!;
  const id = /"id"\s*:\s*(\d{1,15}|"[^"\\]{1,100}")/.exec(head);
  if (id) out.id = id[1]!.startsWith('"') ? id[1]!.slice(1, -1) : Number(id[1]);
  return out;
}
