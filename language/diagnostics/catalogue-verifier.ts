// The catalogue of the verifier's diagnostics: the lint on the compiled network (V801-V805) and
// the drift check of `plumb verify --configs` (V880-V889). One entry per code; docs/diagnostics.md
// explains each under the same title.

import type { DiagnosticInfo } from './entry.js';

export const VERIFIER_DIAGNOSTICS = {
  unusableRule: {
    code: 'V801',
    severity: 'warning',
    title: 'a policy rule no packet can use',
    help: 'No packet of the rule can ever be admitted.',
  },
  ineffectiveDeny: {
    code: 'V802',
    severity: 'warning',
    title: 'a deny that changes nothing',
    help: 'No allow rule admits any of the deny\'s traffic, and everything not allowed is already denied.',
  },
  assertionAboutNothing: {
    code: 'V803',
    severity: 'warning',
    title: 'an assertion about nothing',
    help: 'The assertion\'s source or destination has no addresses, or the two have no address family in common once internal prefixes are taken out of the externals\' addresses, so no packet belongs to it.',
  },
  forwardingLoop: {
    code: 'V804',
    severity: 'error',
    title: 'a forwarding loop for an internal prefix',
    help: 'Following the forwarding tables from some device, packets to part of an internal prefix (a segment, link or loopback) arrive twice at the same device by the same interface.',
  },
  blackHole: {
    code: 'V805',
    severity: 'warning',
    title: 'a black hole for an internal prefix',
    help: 'Some device has no route to part of an internal prefix, or sends it out of an interface where nothing owns it.',
  },
  deviceNotConfigured: {
    code: 'V880',
    severity: 'error',
    title: 'a device of the intent has no configuration',
    help: 'The intent declares a device that the folder\'s `manifest.json` does not list.',
  },
  deviceNotInIntent: {
    code: 'V881',
    severity: 'error',
    title: 'a configured device the intent does not declare',
    help: 'The manifest lists a device that the intent does not have.',
  },
  configFileMissing: {
    code: 'V882',
    severity: 'error',
    title: 'a configuration file is missing',
    help: 'A file the manifest lists for a device does not exist or cannot be read.',
  },
  deviceUnreadable: {
    code: 'V883',
    severity: 'error',
    title: 'a device\'s configuration cannot be read',
    help: 'The device\'s backend read no model from its files and said nothing more precise.',
  },
  otherIntentVersion: {
    code: 'V884',
    severity: 'warning',
    title: 'the folder was compiled from another version of the intent',
    help: 'The manifest\'s hashes of the intent files are not the hashes of the files given now.',
  },
  configFileEdited: {
    code: 'V885',
    severity: 'info',
    title: 'a configuration file was edited',
    help: 'A file no longer has the sha256 that the manifest recorded when Plumb wrote it.',
  },
  deviceDrift: {
    code: 'V886',
    severity: 'error',
    title: 'a device does not behave as the intent compiles it',
    help: 'The device\'s configuration, as read back, is not equivalent to the device the compiler makes of the intent.',
  },
  runningFolderMissing: {
    code: 'V887',
    severity: 'error',
    title: 'a device of the intent has no running configuration',
    help: 'In a folder of running configurations (no `manifest.json`), the folder `<site>/<device>/` of a device of the intent is missing or holds no readable file.',
  },
  runningFolderForeign: {
    code: 'V888',
    severity: 'error',
    title: 'a folder of running configuration for a device the intent does not have',
    help: 'A folder of running configurations has a `<site>/<device>/` folder that names no device of the intent.',
  },
  keyDrift: {
    code: 'V889',
    severity: 'error',
    title: 'a key on the device is not its secret\'s value',
    help: 'A BGP password or OSPF key read back differs from the value of the intent\'s secret for the same session or interface (read from its environment variable or file, as `plumb compile -o` reads it). Neither key is shown.',
  },
} as const satisfies Record<string, DiagnosticInfo>;
