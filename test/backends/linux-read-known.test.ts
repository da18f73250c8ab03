// What setup.sh's reader keeps from line to line and file to file, held to the general reading:
// the tags it has read (tag-read.ts `KnownTags`, by end offset) and the last hop of a route
// (setup-read-routes.ts `readWrittenRoute`, `lastHop`). A kept text must serve only a line that
// holds exactly it, whatever tags of other paths and values, and hops that start alike, came before.

import { describe, expect, it } from 'vitest';
import { readSetup } from '../../backends/linux/setup-read.js';
import { lineTagAt, originTagAt } from '../../backends/linux/tag-read.js';
import { prng } from '../verifier/random-networks.js';

const pick = <T>(rand: () => number, xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;

const NOISE = [' ', '@', ' @ ', ':', '-', ',', '[', ']', '0', '1', '9', '.', '/', 'x', '\r', ''];

describe('tags read before', () => {
  it('are read in place after tags of another path', () => {
    const line = (path: string, n: number): string => `# route 10.0.0.0/24 dev eth1 @ ${path}:${n}:1-${n}:9 [${n * 10},${n * 10 + 8}]`;
    const own = (text: string): ReturnType<typeof lineTagAt> => lineTagAt(text, 0, text.length);
    const general = (text: string): ReturnType<typeof lineTagAt> => originTagAt(text, text.lastIndexOf(' @ ') + 3);
    const a = line('known/a.plumb', 7001);
    const spanA = general(a);
    expect(spanA).toBeDefined();
    expect(own(a)).toStrictEqual(spanA);
    // the last path read is now another one: only a tag kept is read in place
    expect(general(line('known/b.plumb', 7002))).toBeDefined();
    expect(own(a)).toStrictEqual(spanA);
    expect(own(line('known/a.plumb', 7003))).toBeUndefined();
  });

  it('give a line\'s own tag, on seeded lines of few end offsets, paths and edits', () => {
    const rand = prng(4321);
    const paths = ['net/main.plumb', 'net/main.plumbx', 'et/main.plumb', 'p%20q.plumb', 'a'];
    let read = 0;
    for (let n = 0; n < 20000; n++) {
      // the end offset one of few, the other numbers and the path not: tags of one end offset meet
      const end = pick(rand, [48, 49, 148]);
      const start = pick(rand, [40, 41, 140, 0]);
      let tag = `${pick(rand, paths)}:${pick(rand, [1, 2, 12])}:${pick(rand, [1, 10])}-${pick(rand, [1, 2])}:9 [${start},${end}]`;
      if (rand() < 0.3) {
        const at = Math.floor(rand() * (tag.length + 1));
        tag = tag.slice(0, at) + pick(rand, NOISE) + tag.slice(at + Math.floor(rand() * 2));
      }
      const head = pick(rand, ['# route 10.0.0.0/24 dev eth1 @ ', '# route x @ ', ' @ ', '@ ', '# route x @  ', '# route x@ ', '']);
      const before = pick(rand, ['', 'x\n', '# route 1 @ ']);
      const content = `${before}${head}${tag}\nroute replace 10.0.0.0/24 dev eth1`;
      const line = `${head}${tag}`;
      // now and then a general read first, which changes the last path read
      if (rand() < 0.2) originTagAt(line, line.lastIndexOf(' @ ') + 3);
      const own = lineTagAt(content, before.length, before.length + line.length);
      if (own) {
        read++;
        const tagAt = line.lastIndexOf(' @ ');
        expect(own, line).toStrictEqual(tagAt >= 0 ? originTagAt(line, tagAt + 3) : undefined);
      }
    }
    expect(read).toBeGreaterThan(2000);
  });
});

describe('the last hop read whole', () => {
  const HOPS = ['via 1.2.3.4', 'via 1.2.3.45', 'via 1.2.3.4 dev eth1', 'via 1.2.3.4 dev eth10', 'via 1.2.3.4 dev eth1.5', 'dev eth1', 'dev eth10', 'dev eth1 dev eth2', 'via 1.2.3.4 via 1.2.3.4'];
  const TAILS = ['', '', '', ' metric 5', ' metric 50', ' metrics 5', ' metric', ' metric ', ' ', ' x', '\r'];

  it('reads a route exactly as the line-by-line reading does, however the hop before it starts alike', () => {
    const rand = prng(4322);
    let routes = 0;
    for (let n = 0; n < 600; n++) {
      const lines = ['sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1', "ip -batch - <<'PLUMB_EOF'"];
      for (let r = 0; r < 12; r++) {
        const hop = pick(rand, HOPS);
        const prefix = `10.${r}.0.0/16`;
        lines.push(`# route ${prefix} ${hop} @ a.plumb:${r + 1}:1-${r + 1}:9 [${r * 10},${r * 10 + 8}]`, `route replace ${prefix} ${hop}${pick(rand, TAILS)}`);
      }
      lines.push('PLUMB_EOF', '');
      const content = lines.join('\n');
      const fast = readSetup('setup.sh', content);
      expect(fast, content).toStrictEqual(readSetup('setup.sh', content, { inPlace: false }));
      routes += fast.staticRoutes.length;
    }
    expect(routes).toBeGreaterThan(3000);
  });
});
