import { DeviceTargetSchema, type DeviceTarget } from '../schemas';
import { targetSlug } from '../labels';
import { parseBandwidth, parseBytes } from '../units';

/**
 * The devices a configuration can be judged against: phone classes, two edge boards, this machine, and
 * whatever a person types in. A target is a memory budget (what the model's process may use) and a
 * memory bandwidth (what decode speed scales with, ARCHITECTURE.md "roofline bound").
 *
 * Preset bandwidths are nominal: bus width × transfer rate from public specifications. Sustained reads
 * reach only part of that, so projections against a preset lean optimistic; each preset says so.
 */

const GiB = 2 ** 30;

/** bytes/s of a DRAM interface: transfers per second × bus width in bytes. */
function nominalBandwidth(megaTransfersPerSecond: number, busBits: number): number {
  return megaTransfersPerSecond * 1e6 * (busBits / 8);
}

const phoneReserveNote =
  'budget = 50% of RAM: Android and iOS keep the OS, system services and other apps resident and ' +
  'kill a foreground app well before RAM is full (low-memory killer, jetsam). A rule of thumb, not a ' +
  'measured limit; use a custom target with budget= when you know the real one.';

const nominalNote =
  'Bandwidth is nominal (theoretical peak, bus width × transfer rate); sustained reads reach only part ' +
  'of it, so decode projections against it are optimistic.';

function phone(
  ramGiB: number,
  memoryClass: string,
  megaTransfersPerSecond: number,
  busBits: number,
): DeviceTarget {
  const totalMemoryBytes = ramGiB * GiB;
  return DeviceTargetSchema.parse({
    id: `phone-${ramGiB}gb`,
    name: `Phone, ${ramGiB} GB RAM (${memoryClass})`,
    kind: 'preset',
    totalMemoryBytes,
    reservedMemoryBytes: totalMemoryBytes / 2,
    memoryBytes: totalMemoryBytes / 2,
    memoryNote: phoneReserveNote,
    bandwidthBytesPerSecond: nominalBandwidth(megaTransfersPerSecond, busBits),
    bandwidthBasis: 'nominal',
    source:
      `A device class, not one phone: ${memoryClass} at ${megaTransfersPerSecond} MT/s on a ${busBits}-bit ` +
      `bus = ${((megaTransfersPerSecond * busBits) / 8 / 1000).toFixed(1)} GB/s (JEDEC transfer rate × bus width).`,
    notes: `${nominalNote} Phones of this RAM size ship with slower and faster memory than this class assumes.`,
  });
}

/**
 * The presets. Phone classes span the 17–51 GB/s range of LPDDR4X and LPDDR5 phones; the boards use
 * their makers' published memory specifications.
 */
export const presetTargets: readonly DeviceTarget[] = Object.freeze([
  phone(4, 'LPDDR4X, entry class', 4266, 32),
  phone(6, 'LPDDR4X, mid-range class', 4266, 64),
  phone(8, 'LPDDR5, upper class', 6400, 64),
  DeviceTargetSchema.parse({
    id: 'raspberry-pi-5-8gb',
    name: 'Raspberry Pi 5, 8 GB',
    kind: 'preset',
    totalMemoryBytes: 8 * GiB,
    reservedMemoryBytes: 1 * GiB,
    memoryBytes: 7 * GiB,
    memoryNote:
      'budget = RAM − 1 GiB: a headless Raspberry Pi OS and some page cache; a desktop session needs more.',
    bandwidthBytesPerSecond: nominalBandwidth(4267, 32),
    bandwidthBasis: 'nominal',
    source:
      'Raspberry Pi 5 product brief: LPDDR4X-4267 SDRAM on a 32-bit interface → 4267 MT/s × 4 B = 17.1 GB/s.',
    notes: `${nominalNote} CPU only (4× Cortex-A76); the VideoCore VII GPU has no onnxruntime EP.`,
  }),
  DeviceTargetSchema.parse({
    id: 'jetson-orin-nano-8gb',
    name: 'Jetson Orin Nano, 8 GB',
    kind: 'preset',
    totalMemoryBytes: 8 * GiB,
    reservedMemoryBytes: 2 * GiB,
    memoryBytes: 6 * GiB,
    memoryNote:
      'budget = RAM − 2 GiB: JetPack (Ubuntu desktop) and the CUDA context; CPU and GPU share this one memory.',
    bandwidthBytesPerSecond: 68e9,
    bandwidthBasis: 'nominal',
    source: 'NVIDIA Jetson Orin Nano series data sheet: 8 GB 128-bit LPDDR5, 68 GB/s.',
    notes:
      `${nominalNote} The "Super" power mode (JetPack 6.1 and later) raises it to 102 GB/s; make a custom ` +
      'target for that.',
  }),
]);

/** The reserve kept for this machine's OS and other programs: 20% of RAM, at least 2 GiB. */
export function thisMachineReserveBytes(totalMemoryBytes: number): number {
  return Math.min(totalMemoryBytes, Math.max(2 * GiB, Math.round(0.2 * totalMemoryBytes)));
}

/**
 * This machine as the targets see it. The caller asks the OS (os.totalmem()) and the bandwidth
 * measurement: common stays free of Node.
 */
export interface HereMachine {
  /** bytes/s measured here, e.g. cachedMemoryBandwidth().bytesPerSecond: what the trials' roofline used */
  bandwidthBytesPerSecond: number;
  /** bytes of RAM, os.totalmem() */
  totalMemoryBytes: number;
}

/**
 * This machine, from its RAM (bytes) and the bandwidth measured here (bytes/s) — the same number the
 * trials' roofline uses, so a verdict for this machine needs no projection.
 */
export function thisMachineTarget(
  measuredBandwidthBytesPerSecond: number,
  totalMemoryBytes: number,
): DeviceTarget {
  const reservedMemoryBytes = thisMachineReserveBytes(totalMemoryBytes);
  return DeviceTargetSchema.parse({
    id: 'this-machine',
    name: 'This machine',
    kind: 'this-machine',
    totalMemoryBytes,
    reservedMemoryBytes,
    memoryBytes: Math.max(1, totalMemoryBytes - reservedMemoryBytes),
    memoryNote: 'budget = RAM − max(2 GiB, 20% of RAM): the OS, the workbench itself and other programs.',
    bandwidthBytesPerSecond: measuredBandwidthBytesPerSecond,
    bandwidthBasis: 'measured',
    source:
      'RAM from the OS (os.totalmem()); bandwidth measured here: a streaming read of the memory on every core (the roofline bound).',
    notes: 'Measured bandwidth is sustained, not nominal: it is the one the trials here were judged against.',
  });
}

/** Every preset, plus this machine when its bandwidth is known. */
export function deviceTargets(here?: HereMachine): DeviceTarget[] {
  return here === undefined
    ? [...presetTargets]
    : [...presetTargets, thisMachineTarget(here.bandwidthBytesPerSecond, here.totalMemoryBytes)];
}

const customKeys = ['name', 'ram', 'bandwidth', 'reserve', 'budget', 'id'] as const;
type CustomKey = (typeof customKeys)[number];
const customUsage =
  'Write key=value pairs separated by commas: name=Board,ram=4GB,bandwidth=12GB/s ' +
  '(required), plus optionally reserve=1GB (RAM kept for the OS; default 25% of ram) or budget=3GB ' +
  '(the model budget itself), and id=board.';

/**
 * A target from a person's description, e.g. `name=Board,ram=4GB,bandwidth=12GB/s`. Keys: name, ram and
 * bandwidth (required); reserve or budget (one, optional; default reserve: 25% of ram); id (optional,
 * default: the name in kebab case). Names cannot contain commas. Errors name the offending part.
 */
export function customTarget(text: string): DeviceTarget {
  const fields = new Map<CustomKey, string>();
  for (const part of text.split(',')) {
    if (part.trim() === '') continue;
    const equals = part.indexOf('=');
    if (equals < 0) throw new RangeError(`Custom target: "${part.trim()}" is not key=value. ${customUsage}`);
    const key = part.slice(0, equals).trim().toLowerCase();
    const value = part.slice(equals + 1).trim();
    if (!(customKeys as readonly string[]).includes(key)) {
      throw new RangeError(
        `Custom target: unknown key "${key}" (known: ${customKeys.join(', ')}). ${customUsage}`,
      );
    }
    if (fields.has(key as CustomKey)) throw new RangeError(`Custom target: "${key}" is given twice.`);
    if (value === '') throw new RangeError(`Custom target: "${key}" has no value. ${customUsage}`);
    fields.set(key as CustomKey, value);
  }
  const missing = (['name', 'ram', 'bandwidth'] as const).filter((key) => !fields.has(key));
  if (missing.length > 0) {
    throw new RangeError(`Custom target "${text}": missing ${missing.join(', ')}. ${customUsage}`);
  }
  if (fields.has('reserve') && fields.has('budget')) {
    throw new RangeError('Custom target: give reserve= or budget=, not both (budget = ram − reserve).');
  }
  const name = fields.get('name')!;
  const field = <T>(key: CustomKey, parse: (value: string) => T): T => {
    try {
      return parse(fields.get(key)!);
    } catch (error) {
      throw new RangeError(
        `Custom target, ${key}: ${error instanceof Error ? error.message : String(error)}`,
        {
          cause: error,
        },
      );
    }
  };
  const totalMemoryBytes = field('ram', parseBytes);
  const bandwidthBytesPerSecond = field('bandwidth', parseBandwidth);
  if (totalMemoryBytes <= 0) throw new RangeError(`Custom target: ram must be more than 0 bytes.`);
  if (bandwidthBytesPerSecond <= 0) throw new RangeError(`Custom target: bandwidth must be more than 0.`);
  let reservedMemoryBytes = Math.round(totalMemoryBytes / 4);
  let memoryNote = 'budget = 75% of ram (default reserve: 25% for the OS and other programs)';
  if (fields.has('reserve')) {
    reservedMemoryBytes = field('reserve', parseBytes);
    memoryNote = `budget = ram − reserve (${fields.get('reserve')}), as given`;
  } else if (fields.has('budget')) {
    reservedMemoryBytes = totalMemoryBytes - field('budget', parseBytes);
    memoryNote = `budget = ${fields.get('budget')}, as given`;
  }
  const memoryBytes = totalMemoryBytes - reservedMemoryBytes;
  if (memoryBytes <= 0 || reservedMemoryBytes < 0) {
    throw new RangeError(
      `Custom target "${name}": the budget must be more than 0 and at most ram (${fields.get('ram')}); ` +
        `got ${memoryBytes} bytes. Lower reserve= or budget=.`,
    );
  }
  const id = fields.get('id') ?? (targetSlug(name) || 'custom');
  const parsed = DeviceTargetSchema.safeParse({
    id,
    name,
    kind: 'custom',
    totalMemoryBytes,
    reservedMemoryBytes,
    memoryBytes,
    memoryNote,
    bandwidthBytesPerSecond,
    bandwidthBasis: 'user',
    source: `given by the user: ${text.trim()}`,
    notes: 'Figures as given; the workbench did not check them.',
  });
  if (!parsed.success) {
    throw new RangeError(
      `Custom target: id "${id}" must be lower-case letters, digits, '.' and '-', starting with a letter or digit.`,
    );
  }
  return parsed.data;
}

/**
 * A target by preset id ('phone-8gb', 'this-machine', …) or, when the text contains '=', a custom
 * description. Unknown ids list the known ones.
 */
export function resolveTarget(idOrDescription: string, here?: HereMachine): DeviceTarget {
  if (idOrDescription.includes('=')) return customTarget(idOrDescription);
  const wanted = idOrDescription.trim().toLowerCase();
  if (wanted === 'this-machine') {
    if (here === undefined) {
      throw new RangeError('Target "this-machine" needs this machine\'s memory bandwidth: measure it first.');
    }
    return thisMachineTarget(here.bandwidthBytesPerSecond, here.totalMemoryBytes);
  }
  const preset = presetTargets.find((target) => target.id === wanted);
  if (!preset) {
    const ids = [...presetTargets.map((target) => target.id), 'this-machine'].join(', ');
    throw new RangeError(
      `Unknown target "${idOrDescription}". Known: ${ids}; or describe one: name=Board,ram=4GB,bandwidth=12GB/s.`,
    );
  }
  return preset;
}

/** Whether a list of targets (as resolveTargets takes it) needs this machine's bandwidth measured. */
export function targetsNeedThisMachine(specs: readonly string[]): boolean {
  return (
    specs.length === 0 ||
    specs.some((spec) => !spec.includes('=') && spec.trim().toLowerCase() === 'this-machine')
  );
}

/**
 * The targets asked for, in order: ids or descriptions (resolveTarget), or when none is named every
 * preset and this machine (deviceTargets). Two targets with one id are refused: reports key their
 * columns by id.
 */
export function resolveTargets(specs: readonly string[], here?: HereMachine): DeviceTarget[] {
  const targets = specs.length === 0 ? deviceTargets(here) : specs.map((spec) => resolveTarget(spec, here));
  const seen = new Set<string>();
  for (const target of targets) {
    if (seen.has(target.id)) {
      throw new RangeError(
        `Target "${target.id}" is given twice: name each target once (a custom one by its own name= or id=).`,
      );
    }
    seen.add(target.id);
  }
  return targets;
}
