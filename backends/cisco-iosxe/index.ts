// The Cisco IOS-XE 17 backend: DeviceModel ⇄ `<device>.cfg`.

import type { Backend } from '../backend.js';
import { readIosxe } from './read.js';
import { renderIosxe } from './render.js';
import { deltaIosxe } from './delta.js';

export const ciscoIosxeBackend: Backend = {
  platform: 'cisco-iosxe',
  render: renderIosxe,
  read: readIosxe,
  delta: deltaIosxe,
};
