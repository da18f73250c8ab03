import { it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { analyze } from '../../language/analyze.js';
import { compile } from '../../compiler/index.js';
import { verifyModel } from '../../verifier/index.js';
import { emulate } from '../../emulator/index.js';
import { renderEmulationText } from '../../cli/commands/emulate.js';
it('try', async () => {
  const f = process.env.EX ?? 'examples/acme/acme.plumb';
  const a = analyze([{ path: f, text: readFileSync(f, 'utf8') }]);
  const c = compile(a.intent!);
  writeFileSync('/tmp/emu/model.json', JSON.stringify(c.model, null, 1));
  const v = await verifyModel(c.model);
  console.log(
    v.verdicts
      .map(
        (x) =>
          `${x.status} ${x.assertion.text} ${x.counterexample ? JSON.stringify(x.counterexample.packet) : ''}`,
      )
      .join('\n'),
  );
  const r = await emulate(c.model, {
    verdicts: v.verdicts,
    keep: !!process.env.KEEP,
    log: (l) => console.log(l),
  });
  console.log(renderEmulationText(r));
  writeFileSync('/tmp/emu/report.json', JSON.stringify(r, null, 1));
}, 300000);
