// The registry of platform backends. A backend adds its entry here (one import, one list item).

import type { Platform } from '../compiler/model.js';
import type { Backend } from './backend.js';
import { frrBackend } from './frr/backend.js';
import { linuxBackend } from './linux/backend.js';

/** Every backend, one per platform. */
export const BACKENDS: readonly Backend[] = [frrBackend, linuxBackend];

export function backendFor(platform: Platform): Backend | undefined {
  return BACKENDS.find((b) => b.platform === platform);
}
