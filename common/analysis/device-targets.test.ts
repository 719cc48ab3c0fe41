import { describe, expect, it } from 'vitest';
import { DeviceTargetSchema } from '../schemas';
import {
  customTarget,
  deviceTargets,
  presetTargets,
  resolveTarget,
  resolveTargets,
  targetsNeedThisMachine,
  thisMachineTarget,
} from './device-targets';

const GiB = 2 ** 30;

describe('presets', () => {
  it('are valid targets with unique ids, nominal bandwidths and stated sources', () => {
    const ids = presetTargets.map((t) => t.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const target of presetTargets) {
      expect(DeviceTargetSchema.parse(target)).toEqual(target);
      expect(target.bandwidthBasis).toBe('nominal');
      expect(target.memoryBytes + target.reservedMemoryBytes).toBe(target.totalMemoryBytes);
    }
  });

  it('use the published memory figures', () => {
    const byId = (id: string) => presetTargets.find((t) => t.id === id)!;
    expect(byId('raspberry-pi-5-8gb').bandwidthBytesPerSecond).toBe(4267e6 * 4); // LPDDR4X-4267, 32-bit
    expect(byId('jetson-orin-nano-8gb').bandwidthBytesPerSecond).toBe(68e9);
    expect(byId('phone-4gb').bandwidthBytesPerSecond).toBeCloseTo(17.1e9, -8);
    expect(byId('phone-8gb').bandwidthBytesPerSecond).toBe(51.2e9);
    expect(byId('phone-6gb').memoryBytes).toBe(3 * GiB); // half the RAM
  });

  it('add this machine when its bandwidth is known', () => {
    expect(deviceTargets().map((t) => t.id)).not.toContain('this-machine');
    const mine = deviceTargets({ bandwidthBytesPerSecond: 20e9, totalMemoryBytes: 16 * GiB }).find(
      (t) => t.id === 'this-machine',
    )!;
    expect(mine.bandwidthBasis).toBe('measured');
    expect(mine.totalMemoryBytes).toBeGreaterThan(0);
  });
});

describe('this machine', () => {
  it('keeps 20% of RAM, at least 2 GiB, for everything else', () => {
    expect(thisMachineTarget(20e9, 16 * GiB).memoryBytes).toBe(16 * GiB - Math.round(0.2 * 16 * GiB));
    expect(thisMachineTarget(20e9, 8 * GiB).memoryBytes).toBe(6 * GiB);
  });
});

describe('custom targets', () => {
  it('read name, ram and bandwidth, with a 25% default reserve', () => {
    const target = customTarget('name=My Board,ram=4GB,bandwidth=12GB/s');
    expect(target).toMatchObject({
      id: 'my-board',
      name: 'My Board',
      kind: 'custom',
      totalMemoryBytes: 4e9,
      memoryBytes: 3e9,
      bandwidthBytesPerSecond: 12e9,
      bandwidthBasis: 'user',
    });
  });

  it('take a reserve or a budget, and an id', () => {
    expect(customTarget('name=B,ram=8GiB,reserve=1GiB,bandwidth=10GB/s').memoryBytes).toBe(7 * GiB);
    expect(customTarget('name=B,ram=8GiB,budget=3GiB,bandwidth=10GB/s,id=b2')).toMatchObject({
      id: 'b2',
      memoryBytes: 3 * GiB,
      reservedMemoryBytes: 5 * GiB,
    });
  });

  it('say what is wrong', () => {
    expect(() => customTarget('name=B,ram=4GB')).toThrow(/missing bandwidth/);
    expect(() => customTarget('name=B,ram=4GB,bandwidth=1GB/s,speed=3')).toThrow(/unknown key "speed"/);
    expect(() => customTarget('name=B,ram=4XB,bandwidth=1GB/s')).toThrow(/ram: "4XB" is not a byte size/);
    expect(() => customTarget('name=B,ram=4GB,bandwidth=fast')).toThrow(/bandwidth: "fast"/);
    expect(() => customTarget('name=B,ram=4GB,bandwidth=1GB/s,reserve=1GB,budget=2GB')).toThrow(/not both/);
    expect(() => customTarget('name=B,ram=4GB,bandwidth=1GB/s,reserve=4GB')).toThrow(
      /budget must be more than 0/,
    );
    expect(() => customTarget('name=B,ram=4GB,bandwidth=1GB/s,budget=5GB')).toThrow(/at most ram/);
    expect(() => customTarget('name=B,name=C,ram=4GB,bandwidth=1GB/s')).toThrow(/given twice/);
    expect(() => customTarget('name=B,ram,bandwidth=1GB/s')).toThrow(/"ram" is not key=value/);
    expect(() => customTarget('name=B,ram=4GB,bandwidth=1GB/s,id=Bad Id')).toThrow(/id "Bad Id"/);
  });
});

describe('resolveTarget', () => {
  it('finds presets by id, parses descriptions, and lists the ids it knows', () => {
    expect(resolveTarget('Phone-8GB').id).toBe('phone-8gb');
    expect(resolveTarget('name=X,ram=2GB,bandwidth=5GB/s').kind).toBe('custom');
    expect(
      resolveTarget('this-machine', { bandwidthBytesPerSecond: 30e9, totalMemoryBytes: 16 * GiB })
        .bandwidthBytesPerSecond,
    ).toBe(30e9);
    expect(() => resolveTarget('this-machine')).toThrow(/bandwidth/);
    expect(() => resolveTarget('pager')).toThrow(/Unknown target "pager".*raspberry-pi-5-8gb/);
  });
});

describe('resolveTargets', () => {
  const here = { bandwidthBytesPerSecond: 20e9, totalMemoryBytes: 16 * GiB };

  it('keeps the order asked for, and defaults to every preset and this machine', () => {
    expect(resolveTargets(['phone-8gb', 'name=Board,ram=4GB,bandwidth=12GB/s']).map((t) => t.id)).toEqual([
      'phone-8gb',
      'board',
    ]);
    expect(resolveTargets([], here).map((t) => t.id)).toEqual([
      ...presetTargets.map((t) => t.id),
      'this-machine',
    ]);
  });

  it('refuses a target named twice: reports key their columns by id', () => {
    expect(() => resolveTargets(['phone-4gb', 'PHONE-4GB'])).toThrow(/"phone-4gb" is given twice/);
  });

  it('needs this machine measured only when it is one of the targets', () => {
    expect(targetsNeedThisMachine([])).toBe(true);
    expect(targetsNeedThisMachine(['phone-4gb', ' This-Machine '])).toBe(true);
    expect(targetsNeedThisMachine(['phone-4gb', 'name=this-machine,ram=4GB,bandwidth=1GB/s'])).toBe(false);
  });
});
