// The reader codes of the IOS-XE and PAN-OS readers (docs/diagnostics.md, R900 section).

export const R = {
  /** A line (IOS) or element (PAN-OS) outside the subset Plumb reads. */
  unknown: 'R950',
  /** A reference to an object the configuration does not define. */
  undefinedRef: 'R951',
  /** A value that is not valid where it appears (address, mask, number, port, name). */
  badValue: 'R952',
  /** Something required is missing (the config file, a mandatory part of an object). */
  missing: 'R953',
  /** Parts of the configuration that contradict each other. */
  inconsistent: 'R954',
  /** A `plumb` annotation that cannot be understood; the object keeps a default. */
  badAnnotation: 'R955',
  /** The same object defined twice. */
  duplicate: 'R956',
  /** PAN-OS: the XML is not well formed. */
  xmlSyntax: 'R957',
  /** PAN-OS: the `set` file does not say the same as the XML file. */
  setMismatch: 'R958',
} as const;
