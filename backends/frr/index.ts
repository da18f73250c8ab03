// The frr platform: a Linux box routed by FRRouting (8.4) and filtered by nftables.

import type { Backend } from '../backend.js';
import { frrDelta } from './delta.js';
import { readFrr } from './read.js';
import { renderFrr } from './render.js';

export const frrBackend: Backend = { platform: 'frr', render: renderFrr, read: readFrr, delta: frrDelta };
