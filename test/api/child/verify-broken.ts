// Run in a child process by verify-early-start.test.ts: verifies an intent that does not compile
// (Z3's workers were started before the compile) and returns without calling process.exit. The
// process must then end by itself: the workers were closed unused.

import { verify } from '../../../api/verify.js';

const result = await verify([{ path: 'broken.plumb', text: 'network t\nsite s {\n  router r1 frr\n' }]);
process.stdout.write(`ok ${result.ok} diagnostics ${result.report?.diagnostics.length ?? 0}\n`);
process.stdout.write(`done ${Date.now()}\n`);
