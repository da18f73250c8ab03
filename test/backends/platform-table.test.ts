// The platform table (language/platforms.ts) and the backends' registry agree: every platform of
// the language has exactly one row and one backend, and the traits of a row fit each other (the
// names the compiler gives are names the platform accepts; the lab runs a platform as one that
// runs as itself).

import { describe, expect, it } from 'vitest';
import { BACKENDS, backendFor } from '../../backends/index.js';
import { PLATFORMS } from '../../language/intent.js';
import { interfaceNameProblem } from '../../language/platform-text.js';
import { PLATFORM_TRAITS, platformsWhere } from '../../language/platforms.js';

describe('the platform table', () => {
  it('has one row for every platform of the language, and no other', () => {
    expect(Object.keys(PLATFORM_TRAITS).sort()).toEqual([...PLATFORMS].sort());
  });

  it('lists the platforms in the backends registry order', () => {
    expect(platformsWhere(() => true)).toEqual(BACKENDS.map((backend) => backend.platform));
  });

  it.each([...PLATFORMS])('%s has exactly one backend in the registry', (platform) => {
    expect(BACKENDS.filter((backend) => backend.platform === platform)).toHaveLength(1);
    expect(backendFor(platform)?.platform).toBe(platform);
  });

  it.each([...PLATFORMS])('%s: the names the compiler gives are names the platform accepts', (platform) => {
    const { interfaces } = PLATFORM_TRAITS[platform];
    for (const name of [interfaces.loopback, interfaces.dataPort(1), interfaces.dataPort(2), interfaces.dataPort(48)]) {
      expect(interfaceNameProblem(platform, name), name).toBeUndefined();
    }
    expect(interfaces.dataPort(1)).not.toBe(interfaces.dataPort(2));
  });

  it.each([...PLATFORMS])('%s: the lab runs it as a platform that runs as itself, with a backend', (platform) => {
    const runsAs = PLATFORM_TRAITS[platform].labRunsAs;
    expect(PLATFORM_TRAITS[runsAs].labRunsAs).toBe(runsAs);
    expect(backendFor(runsAs)).toBeDefined();
    // A stand-in box must route as the platform does: only a routing daemon stands in for one.
    if (PLATFORM_TRAITS[platform].runsRoutingDaemon) expect(PLATFORM_TRAITS[runsAs].runsRoutingDaemon).toBe(true);
  });

  it('says what to use instead of each platform that runs no routing daemon', () => {
    for (const platform of platformsWhere((traits) => !traits.runsRoutingDaemon)) {
      expect(PLATFORM_TRAITS[platform].noRoutingDaemonHint, platform).toBeDefined();
    }
  });

  it('draws each platform in its own colour', () => {
    const colors = PLATFORMS.map((platform) => PLATFORM_TRAITS[platform].graph.color);
    expect(new Set(colors).size).toBe(PLATFORMS.length);
  });
});
