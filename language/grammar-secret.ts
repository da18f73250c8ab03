// The secrets of the .plumb grammar: `secret NAME from env VAR | from file "PATH"` and an
// external's `password SECRET` line, on top of the one-line declarations (grammar-statements.ts);
// the `manage` line (grammar-manage.ts) builds on it. The value of a secret is never in the intent: only where to read it.

import type { ExternalPassword, SecretDecl } from './ast.js';
import { KW, type Parsed } from './grammar-base.js';
import { StatementGrammar } from './grammar-statements.js';

const SECRET_HINT = 'a secret is `secret NAME from env VARIABLE` or `secret NAME from file "PATH"`; its value is never written in the intent';

export class SecretGrammar extends StatementGrammar {
  /** `secret NAME from env VAR` | `secret NAME from file "PATH"` */
  readonly secret = this.RULE('secret', (): Parsed<SecretDecl> => {
    const kw = this.CONSUME(KW.secret);
    const name = this.SUBRULE(this.name, { ARGS: ['the secret name after `secret`', SECRET_HINT] });
    this.ACTION(() => {
      this.declaring = name;
      if (!this.isKeyword('from')) this.fail(`\`from\` after the secret \`${name.text}\``, SECRET_HINT);
    });
    this.CONSUME(KW.from);
    this.ACTION(() => {
      if (!this.isKeyword('env') && !this.isKeyword('file')) this.fail('`env` or `file` after `from`', SECRET_HINT);
    });
    const source = this.OR([{ ALT: () => this.CONSUME(KW.env) }, { ALT: () => this.CONSUME(KW.file) }]);
    let location = this.ACTION(() => this.token(source));
    this.OR2([
      {
        GATE: () => source.image === 'env',
        ALT: () => {
          location = this.SUBRULE2(this.name, { ARGS: ['the environment variable after `env` (e.g. `PLUMB_BGP_KEY`)', SECRET_HINT] });
        },
      },
      {
        GATE: () => source.image === 'file',
        ALT: () => {
          this.ACTION(() => {
            if (!this.is('String') && !this.is('UnterminatedString')) this.fail('the path in quotes after `file` (e.g. `"secrets/bgp.key"`)', SECRET_HINT);
          });
          location = this.SUBRULE(this.text);
        },
      },
    ]);
    return this.ACTION(() => {
      const node: SecretDecl = { kind: 'secret', name, source: this.token(source), location, span: this.span(kw.startOffset, location.span.end.offset) };
      return { node, what: '`secret` line', hint: SECRET_HINT };
    });
  });

  /** `password SECRET` inside an external: its BGP sessions are authenticated. */
  readonly externalPassword = this.RULE('externalPassword', (): Parsed<ExternalPassword> => {
    const kw = this.CONSUME(KW.password);
    const secret = this.SUBRULE(this.name, {
      ARGS: ['the name of a secret after `password`', 'declare the key with `secret NAME from env VARIABLE` and write `password NAME`'],
    });
    return this.ACTION(() => ({
      node: { kind: 'password', secret, span: this.span(kw.startOffset, secret.span.end.offset) },
      what: '`password` line',
      hint: 'an external\'s BGP password is `password SECRET`, naming a `secret` line',
    }));
  });
}
