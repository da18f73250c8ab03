// Text built line by line, for the renderers of large files. A line built from template pieces
// is a tree of strings to V8; held in an array until the file is joined, the hundreds of
// thousands of lines of a large policy survive the young generation's collections and are copied
// into the old generation, which cost more than building them (docs/performance.md). LineText
// joins every CHUNK_LINES lines into one flat string, so that the pieces die young.

const CHUNK_LINES = 512;

export class LineText {
  private readonly chunks: string[] = [];
  private lines: string[] = [];

  push(line: string): void {
    this.lines.push(line);
    if (this.lines.length >= CHUNK_LINES) this.flush();
  }

  /** Every line pushed, joined by line breaks (none after the last). */
  text(): string {
    return this.parts().join('\n');
  }

  /**
   * The lines pushed as flat parts of at most CHUNK_LINES lines: joined by line breaks they are
   * text(). A writer that joins its file from parts anyway takes these, so that a long block is
   * copied once, into the file, and not first into a text of its own.
   */
  parts(): readonly string[] {
    this.flush();
    return this.chunks;
  }

  private flush(): void {
    if (this.lines.length === 0) return;
    this.chunks.push(this.lines.join('\n'));
    this.lines = [];
  }
}
