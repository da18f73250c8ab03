// A folder as data, for the tests that compare what was written (compile -o's writer, its
// roll-back and recovery, the output read back): every entry under a folder, so that two
// folders compare with one `toEqual` and a left-over entry of any kind shows in the diff.

import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Every entry under `dir` (relative path → content), Plumb's working entries included: file
 * contents, `-> target` for links, `/` for empty folders.
 */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, rel: string): void => {
    const names = readdirSync(d).sort();
    if (names.length === 0 && rel !== '') out[rel] = '/';
    for (const name of names) {
      const path = join(d, name);
      const st = lstatSync(path);
      if (st.isSymbolicLink()) out[`${rel}${name}`] = `-> ${readlinkSync(path)}`;
      else if (st.isDirectory()) walk(path, `${rel}${name}/`);
      else out[`${rel}${name}`] = readFileSync(path, 'utf8');
    }
  };
  walk(dir, '');
  return out;
}
