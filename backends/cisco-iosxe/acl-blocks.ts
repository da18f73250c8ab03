// The blocks of an IOS-XE access-list (acl-read.ts readAcl), gathered as its lines are read: the
// entries under one run of remarks, each block's lists copied out at their exact size.

import type { Ace, Block } from './acl-read.js';
import type { IosLine } from './lines.js';

/**
 * A list's blocks as readAcl meets their lines: a remark after an entry (or first) starts a
 * block, an entry joins the block above it (or starts one). The open block's lines are gathered
 * in scratch lists and copied out at their exact size when it closes: an array grown by `push`
 * keeps room for 17 from its first element, and nearly every block of a large policy holds two
 * or three remarks and one entry, kept until the whole file is read.
 */
export class BlockList {
  private readonly blocks: Block[] = [];
  private readonly remarks: IosLine[] = [];
  private readonly aces: Ace[] = [];
  private open = false;

  remark(l: IosLine): void {
    if (this.aces.length > 0) this.close();
    this.open = true;
    this.remarks.push(l);
  }

  entry(ace: Ace): void {
    this.open = true;
    this.aces.push(ace);
  }

  done(): Block[] {
    this.close();
    return this.blocks;
  }

  private close(): void {
    if (!this.open) return;
    this.blocks.push({ remarks: this.remarks.slice(), aces: this.aces.slice() });
    this.remarks.length = 0;
    this.aces.length = 0;
    this.open = false;
  }
}
