// Run in a child process by shutdown.test.ts: verifies a small network and returns without
// calling process.exit. The process must then end by itself (workers and Z3 threads gone).

import { verifyModel } from '../../../verifier/index.js';
import { https } from '../builder.js';
import { twoSites } from '../fixtures.js';

const model = twoSites({ replyRule: false }).assert('reach', ['lan-a'], ['lan-b'], [https]).assert('isolate', ['internet'], ['lan-a']).build();
const report = await verifyModel(model, { workers: 2 });
process.stdout.write(`verdicts ${report.verdicts.map((v) => v.status).join(' ')}\n`);
process.stdout.write(`done ${Date.now()}\n`);
