// The Palo Alto PAN-OS 10.x backend: DeviceModel ⇄ `<device>.xml` + `<device>.set`.

import type { Backend } from '../backend.js';
import { readPanos } from './read.js';
import { renderPanos } from './render.js';
import { deltaPanos } from './delta.js';

export const paloaltoPanosBackend: Backend = {
  platform: 'paloalto-panos',
  render: renderPanos,
  read: readPanos,
  delta: deltaPanos,
};
