// The configuration line of every rule a reader returned. Readers give a rule the intent span of
// its origin tag (the comment Plumb writes above it) and fall back to the rule's own config span
// only for untagged rules, such as a rule added by hand. To name the config line of a tagged rule
// too, the files are read a second time with every origin tag made unreadable, and the rule
// lists of the two reads are matched index by index — only where they are the same rule for
// rule (a reader may group rules by their tags; then no line is given for that list). The tag
// format is backends/origin-tag.ts's, and so is the way to make tags unreadable.

import type { Backend, ReadContext, RenderedFile } from '../backends/backend.js';
import { withoutOriginTags } from '../backends/origin-tag.js';
import type { DeviceModel, FilterRule } from '../compiler/model.js';
import type { Span } from '../language/diagnostic.js';
import { matchKey } from '../verifier/equivalence-filters.js';
import type { RuleLines } from '../verifier/from-configs.js';

export function ruleLines(backend: Backend, files: readonly RenderedFile[], context: ReadContext, device: DeviceModel): RuleLines {
  const untagged = files.map((f) => ({ path: f.path, content: withoutOriginTags(f.content) }));
  const relaxed = backend.read(untagged, context).device;
  const out: RuleLines = {};
  if (!relaxed) return out;
  const paths = new Set(files.map((f) => f.path));
  const lines = (a: readonly FilterRule[], b: readonly FilterRule[]): (Span | undefined)[] | undefined =>
    a.length === b.length && a.every((r, i) => r.action === b[i]!.action && matchKey(r.match) === matchKey(b[i]!.match))
      ? b.map((r) => (paths.has(r.origin.file) ? r.origin : undefined))
      : undefined;
  for (const f of device.filters) {
    const g = relaxed.filters.find((x) => x.name === f.name);
    const l = g && lines(f.rules, g.rules);
    if (l) out[f.name] = l;
  }
  const security = lines(device.securityRules, relaxed.securityRules);
  if (security && device.securityRules.length > 0) out.security = security;
  return out;
}
