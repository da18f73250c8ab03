// The linux platform: a Linux box with kernel routes (iproute2) and nftables.

import type { Backend } from '../backend.js';
import { linuxDelta } from './delta.js';
import { readLinux } from './read.js';
import { renderLinux } from './render.js';

export const linuxBackend: Backend = { platform: 'linux', render: renderLinux, read: readLinux, delta: linuxDelta };
