// Each platform's row of the translation-validation harness (equivalence.test.ts): the edits of
// its rendered files that must be caught with a concrete packet or item, and those that must
// be proven harmless. A new platform adds its row here; the `satisfies` asks for it.

import type { Platform } from '../../../compiler/model.js';
import type { SolverPool } from '../../../verifier/solver-pool.js';
import { ciscoIosxeCases } from './cisco-iosxe.js';
import { frrCases } from './frr.js';
import { linuxCases } from './linux.js';
import { paloaltoPanosCases } from './paloalto-panos.js';

export const EQUIVALENCE_CASES = {
  frr: frrCases,
  linux: linuxCases,
  'cisco-iosxe': ciscoIosxeCases,
  'paloalto-panos': paloaltoPanosCases,
} as const satisfies Record<Platform, (pool: SolverPool) => void>;
