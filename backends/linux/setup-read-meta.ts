// The interface details of setup.sh's `# interface NAME ROLE ...` comments read back (the role,
// its segment or external, the peer of a link, the VLAN id); setup-read.ts reads the comment.

import type { Span } from '../../language/diagnostic.js';
import type { InterfaceModel, InterfaceRole } from '../../compiler/model.js';
import { Codes } from '../../language/diagnostics/index.js';
import { META_KEYWORDS } from './setup-render.js';
import type { ErrorAt } from './setup-read-routes.js';

const ROLES: readonly InterfaceRole[] = ['link', 'segment', 'external', 'loopback'];

/** The words after `# interface NAME` (its role first) into `model`; the first unknown word is reported. */
export function readInterfaceMeta(words: string[], model: InterfaceModel, span: Span, err: ErrorAt): void {
  const role = words[0] as InterfaceRole;
  if (!ROLES.includes(role))
    return err(
      Codes.readerMalformedValue,
      span,
      `\`${words[0]}\` is not an interface role (link, segment, external, loopback)`,
    );
  model.role = role;
  const keywords = META_KEYWORDS;
  let i = 1;
  // `segment web`, `external internet`: the role's own name follows it directly.
  if ((role === 'segment' || role === 'external') && words[1] !== undefined && !keywords.includes(words[1])) {
    model[role] = words[1];
    i = 2;
  }
  while (i < words.length) {
    const k = words[i];
    if (k === 'to' && words[i + 2] !== undefined) {
      model.peer = { device: words[i + 1]!, interface: words[i + 2]! };
      i += 3;
    } else if ((k === 'segment' || k === 'external') && words[i + 1] !== undefined) {
      model[k] = words[i + 1]!;
      i += 2;
    } else if (k === 'vlan' && /^\d+$/.test(words[i + 1] ?? '')) {
      model.vlan = Number(words[i + 1]);
      i += 2;
    } else {
      return err(
        Codes.readerMalformedValue,
        span,
        `unknown interface detail \`${words.slice(i).join(' ')}\``,
      );
    }
  }
}
