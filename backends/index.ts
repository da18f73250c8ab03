// The registry of platform backends. A backend adds its entry here (one import, one list item).

import type { Platform } from '../compiler/model.js';
import type { Backend } from './backend.js';
import { ciscoIosxeBackend } from './cisco-iosxe/index.js';
import { frrBackend } from './frr/index.js';
import { linuxBackend } from './linux/index.js';
import { paloaltoPanosBackend } from './paloalto-panos/index.js';

/** Every backend, one per platform. */
export const BACKENDS: readonly Backend[] = [frrBackend, linuxBackend, ciscoIosxeBackend, paloaltoPanosBackend];

export function backendFor(platform: Platform): Backend | undefined {
  return BACKENDS.find((b) => b.platform === platform);
}
