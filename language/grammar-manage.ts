// The `manage` line of the .plumb grammar: `manage [DEVICE, ...] from SOURCE, ... : SERVICE, ...`,
// on top of the one-line declarations (grammar-statements.ts); grammar.ts builds on it.

import type { ManageDecl, NameRef, Token } from './ast.js';
import { KW, T, type Parsed } from './grammar-base.js';
import { SecretGrammar } from './grammar-secret.js';
import { SyntaxFailure } from './parse-messages.js';

/** A name as the lexer reads one (for the text after a `:` that lexed as an interface pin). */
export const NAME_TEXT = /^[A-Za-z](?:[A-Za-z0-9_]|-(?![->]))*$/;

const MANAGE_HINT = 'a manage line is `manage [DEVICE, ...] from SOURCE, ... : SERVICE, ...`, e.g. `manage fra1.edge1 from noc : ssh`';

export class ManageGrammar extends SecretGrammar {
  /** `manage [DEVICE, ...] from SOURCE, ... : SERVICE, ...` */
  readonly manage = this.RULE('manage', (): Parsed<ManageDecl> => {
    const kw = this.CONSUME(KW.manage);
    let devices: NameRef[] = [];
    this.OPTION({
      GATE: () => !this.isKeyword('from'),
      DEF: () => {
        devices = this.SUBRULE(this.refList, { ARGS: ['a device (`site.device`), a group of devices or `from` after `manage`', MANAGE_HINT] });
      },
    });
    this.ACTION(() => {
      if (!this.isKeyword('from')) {
        const last = devices[devices.length - 1];
        this.fail(last ? `\`,\` or \`from\` after the device \`${last.text}\`` : '`from` after `manage`', MANAGE_HINT);
      }
    });
    this.CONSUME(KW.from);
    const sources = this.SUBRULE2(this.refList, { ARGS: ['a source (a segment, host, external, group, device or `any`) after `from`', MANAGE_HINT] });
    let services: Token[] = [];
    this.ACTION(() => {
      if (!this.is('Colon') && !this.is('IfPin')) {
        const last = sources[sources.length - 1]!.text;
        this.fail(`\`,\` or \`:\` after the source \`${last}\``, this.is('Name') ? 'separate several sources with commas' : `name the services: \`manage ... from ${last} : ssh\``);
      }
    });
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Colon);
          this.SUBRULE(this.lineBreaks);
          services = this.SUBRULE(this.nameList, { ARGS: ['a service name after `:`', 'name a service here, e.g. `ssh`; declare others with `service NAME = tcp 830`'] });
        },
      },
      {
        // `noc:ssh` without spaces lexes as a pinned interface; here it is `noc : ssh`.
        ALT: () => {
          const pin = this.CONSUME(T.IfPin);
          this.ACTION(() => {
            const p = this.tok(pin);
            if (!NAME_TEXT.test(p.text.slice(1))) throw new SyntaxFailure();
            services = [{ text: p.text.slice(1), span: this.span(p.start + 1, p.end) }];
          });
          this.MANY(() => {
            this.CONSUME(T.Comma);
            this.SUBRULE2(this.lineBreaks);
            const next = this.SUBRULE(this.name, { ARGS: ['another service name after `,`'] });
            this.ACTION(() => services.push(next));
          });
        },
      },
    ]);
    return this.ACTION(() => {
      const last = services[services.length - 1]!;
      if (this.is('Name') || this.is('Int') || this.is('PortRange')) {
        this.fail(
          `\`,\` or the end of the line after the service \`${last.text}\``,
          this.is('Name') ? 'separate several services with commas' : 'a manage line names its services: declare `service NAME = tcp 830` and write NAME here',
        );
      }
      const node: ManageDecl = { kind: 'manage', devices, sources, services, span: this.span(kw.startOffset, last.span.end.offset) };
      return { node, what: '`manage` line', hint: MANAGE_HINT };
    });
  });

}
