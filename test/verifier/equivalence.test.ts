// Translation validation on every backend of the registry: mutations of an example device's
// rendered files, read back by the real reader and compared with the compiler's DeviceModel.
// Every behaviour-changing edit (delete an entry, swap permit and deny, widen a prefix, change
// a port, drop a route, reorder where order matters) is caught with a concrete packet or item
// checked against the edit; whitespace, comments and reorderings that change no decision are
// proven equal. Each platform's edits are its row in equivalence-cases/.

import { afterAll, beforeAll } from 'vitest';
import { BACKENDS } from '../../backends/index.js';
import { SolverPool } from '../../verifier/solver-pool.js';
import { EQUIVALENCE_CASES } from './equivalence-cases/index.js';

const pool = new SolverPool(2);
beforeAll(() => pool.start(), 30_000);
afterAll(() => pool.close());

for (const backend of BACKENDS) EQUIVALENCE_CASES[backend.platform](pool);
