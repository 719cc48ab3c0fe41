/**
 * Renders build/icon.svg to the icons electron-builder packs:
 *
 * - build/icon.png, 1024 px: the master image;
 * - build/icons/NxN.png: the Linux icon set (AppImage and the deb's hicolor theme);
 * - build/icon.icns (macOS) and build/icon.ico (Windows): PNG images in Apple's and Microsoft's
 *   containers. electron-builder could derive both from icon.png, but its converter is a tool it
 *   downloads from GitHub on first use; shipping them keeps packaging offline-capable.
 *
 * Each size is rasterized from the vector, not scaled down from 1024 px, so small icons stay sharp.
 * Uses Playwright with Debian's Chromium (e2e/chromium.ts).
 *
 *   npx tsx scripts/render-icon.ts
 */
import { chromium } from '@playwright/test';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromiumLaunchOptions } from '../e2e/chromium';

export const buildDir = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'build');
/** px; electron-builder wants at least 512 px to derive icons from. */
export const mainIconSizePx = 1024;
/** px; the sizes freedesktop icon themes look for. */
export const linuxIconSizesPx = [16, 32, 48, 64, 128, 256, 512] as const;
/** ICNS element types that hold PNG data, with their pixel size (ic10…ic14 are the @2x ones). */
export const icnsElements = [
  ['icp4', 16],
  ['icp5', 32],
  ['icp6', 64],
  ['ic07', 128],
  ['ic08', 256],
  ['ic09', 512],
  ['ic10', 1024],
  ['ic11', 32],
  ['ic12', 64],
  ['ic13', 256],
  ['ic14', 512],
] as const;
/** px; the Windows sizes (Explorer views, taskbar, installer), 256 the largest an ICO holds. */
export const icoSizesPx = [16, 32, 48, 64, 128, 256] as const;

/** Apple's ICNS: 'icns' + total length, then (type, length including the 8-byte header, PNG) each. */
export function icnsContainer(pngsBySizePx: ReadonlyMap<number, Buffer>): Buffer {
  const elements = icnsElements.map(([type, sizePx]) => {
    const png = pngOfSize(pngsBySizePx, sizePx);
    const header = Buffer.alloc(8);
    header.write(type, 0, 'ascii');
    header.writeUInt32BE(png.length + 8, 4);
    return Buffer.concat([header, png]);
  });
  const header = Buffer.alloc(8);
  header.write('icns', 0, 'ascii');
  header.writeUInt32BE(8 + elements.reduce((bytes, element) => bytes + element.length, 0), 4);
  return Buffer.concat([header, ...elements]);
}

/** Microsoft's ICO with PNG-compressed images (Windows Vista and later): ICONDIR, one entry each, data. */
export function icoContainer(pngsBySizePx: ReadonlyMap<number, Buffer>): Buffer {
  const pngs = icoSizesPx.map((sizePx) => pngOfSize(pngsBySizePx, sizePx));
  const directory = Buffer.alloc(6 + 16 * pngs.length);
  directory.writeUInt16LE(0, 0); // reserved
  directory.writeUInt16LE(1, 2); // 1: icon
  directory.writeUInt16LE(pngs.length, 4);
  let offsetBytes = directory.length;
  pngs.forEach((png, index) => {
    const sizePx = icoSizesPx[index] ?? 0;
    const entry = 6 + 16 * index;
    directory.writeUInt8(sizePx % 256, entry); // width; 0 means 256
    directory.writeUInt8(sizePx % 256, entry + 1); // height
    directory.writeUInt16LE(1, entry + 4); // colour planes
    directory.writeUInt16LE(32, entry + 6); // bits per pixel
    directory.writeUInt32LE(png.length, entry + 8);
    directory.writeUInt32LE(offsetBytes, entry + 12);
    offsetBytes += png.length;
  });
  return Buffer.concat([directory, ...pngs]);
}

function pngOfSize(pngsBySizePx: ReadonlyMap<number, Buffer>, sizePx: number): Buffer {
  const png = pngsBySizePx.get(sizePx);
  if (!png) throw new Error(`No ${sizePx} px rendering of build/icon.svg to put in an icon container.`);
  return png;
}

async function renderPngs(svg: string, sizesPx: readonly number[]): Promise<Map<number, Buffer>> {
  const browser = await chromium.launch(chromiumLaunchOptions());
  try {
    const page = await browser.newPage({ deviceScaleFactor: 1 });
    const pngsBySizePx = new Map<number, Buffer>();
    for (const sizePx of sizesPx) {
      await page.setViewportSize({ width: sizePx, height: sizePx });
      const sized = svg.replace(/width="\d+" height="\d+"/, `width="${sizePx}" height="${sizePx}"`);
      await page.setContent(`<!doctype html><body style="margin:0;background:transparent">${sized}</body>`);
      pngsBySizePx.set(sizePx, await page.locator('svg').screenshot({ omitBackground: true }));
    }
    return pngsBySizePx;
  } finally {
    await browser.close();
  }
}

function write(file: string, bytes: Buffer): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, bytes);
  console.log(`${file} (${bytes.length} bytes)`);
}

async function renderIcons(): Promise<void> {
  const svg = readFileSync(join(buildDir, 'icon.svg'), 'utf8');
  const sizesPx = [
    ...new Set([
      mainIconSizePx,
      ...linuxIconSizesPx,
      ...icnsElements.map(([, sizePx]) => sizePx),
      ...icoSizesPx,
    ]),
  ];
  const pngsBySizePx = await renderPngs(svg, sizesPx);
  write(join(buildDir, 'icon.png'), pngOfSize(pngsBySizePx, mainIconSizePx));
  for (const sizePx of linuxIconSizesPx) {
    write(join(buildDir, 'icons', `${sizePx}x${sizePx}.png`), pngOfSize(pngsBySizePx, sizePx));
  }
  write(join(buildDir, 'icon.icns'), icnsContainer(pngsBySizePx));
  write(join(buildDir, 'icon.ico'), icoContainer(pngsBySizePx));
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  await renderIcons();
}
