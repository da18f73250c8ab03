// The secrets: where each is read from (P431), externals' `password` lines (P432: an external
// without BGP, P433: two of them) and secrets no line uses (P430, a warning). Unknown and
// repeated secret names are the resolver's (P201, P202); OSPFv3 authentication on a platform
// that Plumb cannot say it for is the compiler's (C720), which knows where IPv6 runs.

import type { Token } from './ast.js';
import type { DiagnosticSink } from './check-common.js';
import { Codes } from './diagnostics/index.js';
import type { Resolution } from './resolve.js';
import { stringValue } from './tokens.js';

/** A variable name every shell and `env` takes. */
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function checkSecrets(resolution: Resolution, sink: DiagnosticSink): void {
  const used = new Set<string>();
  const authentication = resolution.routing?.authentication;
  if (authentication) used.add(authentication.text);
  for (const ext of resolution.externals) {
    let first: Token | undefined;
    const hasAsn = ext.items.some((i) => i.kind === 'asn');
    for (const item of ext.items) {
      if (item.kind !== 'password') continue;
      used.add(item.secret.text);
      if (first) {
        sink.report(Codes.passwordTwice, item.span, `external \`${ext.name.text}\` has more than one \`password\``, {
          related: [{ span: first.span, message: 'first given here' }],
          hint: 'every BGP session of the external uses one key: keep one `password` line',
        });
        continue;
      }
      first = item.secret;
      if (!hasAsn) {
        sink.report(Codes.passwordWithoutBgp, item.span, `external \`${ext.name.text}\` has a \`password\` but no \`asn\`: it has no BGP session to authenticate`, {
          hint: 'give the external its `asn` and attach it with `peer ADDR` for eBGP, or remove the `password` line',
        });
      }
    }
  }
  for (const s of resolution.secrets) {
    if (s.source.text === 'env' && !ENV_NAME.test(s.location.text)) {
      sink.report(Codes.invalidSecretSource, s.location.span, `\`${s.location.text}\` is not an environment variable's name`, {
        hint: 'a variable is named with letters, digits and `_` (not starting with a digit), e.g. `PLUMB_BGP_KEY`',
      });
    } else if (s.source.text === 'file' && s.location.text.startsWith('"') && stringValue(s.location.text).trim() === '') {
      sink.report(Codes.invalidSecretSource, s.location.span, `secret \`${s.name.text}\` names no file`, {
        hint: 'give the path of the file that holds the key, relative to the intent file\'s folder, e.g. `"secrets/bgp.key"`',
      });
    }
    if (!used.has(s.name.text)) {
      sink.report(Codes.unusedSecret, s.name.span, `secret \`${s.name.text}\` is not used`, {
        hint: 'name it in an external\'s `password` line or in `routing ospf authentication`, or remove it',
      });
    }
  }
}
