// Draws Art Sync's icons with no image tools: a tiny anti-aliased rasteriser and PNG encoder in plain
// Node, plus ICO and ICNS containers that embed those PNGs. The outputs are committed; run this again
// only after changing a shape or colour:
//   node scripts/make-icons.mjs
// Writes:
//   build/icon.png (1024), build/icon.icns (macOS), build/icon.ico (Windows), build/icons/NxN.png (Linux)
//   resources/tray/tray-<state>-light.png, tray-<state>-dark.png (+ @2x)   coloured, for light / dark panels
//   resources/tray/tray-<state>Template.png (+ @2x)                       macOS template images (black + alpha)
//   docs/images/tray-states.png                                  every tray state on light and dark
// Tray states, in docs/PRODUCT.md §8's priority order: error > attention > syncing > paused > ok (all synced).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { deflateSync } from 'node:zlib';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// Names as src/main/shell/tray.ts expects them (TrayIconState, trayIconFile).
export const TRAY_STATES = ['error', 'attention', 'syncing', 'paused', 'ok'];

// ---------------------------------------------------------------------------------------------
// PNG encoding (RGBA, 8 bits per channel, no interlace)

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** Encodes an RGBA image ({ width, height, data: Uint8ClampedArray }) as PNG bytes. */
export function encodePng({ width, height, data }) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // colour type RGBA
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 4 + 1)] = 0; // filter: none
    Buffer.from(data.buffer, data.byteOffset + y * width * 4, width * 4).copy(raw, y * (width * 4 + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// ---------------------------------------------------------------------------------------------
// Shapes in a unit square (0..1), painted back to front; 4×4 supersampling for anti-aliasing.

const hex = (value, alpha = 1) => {
  const n = parseInt(value.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255, alpha];
};

function roundedRect(x0, y0, x1, y1, r) {
  return (x, y) => {
    const dx = Math.max(x0 + r - x, 0, x - (x1 - r));
    const dy = Math.max(y0 + r - y, 0, y - (y1 - r));
    return x >= x0 && x <= x1 && y >= y0 && y <= y1 && dx * dx + dy * dy <= r * r;
  };
}

const circle = (cx, cy, r) => (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;

/** Angle in degrees, 0 at 12 o'clock, clockwise. */
const angleOf = (cx, cy, x, y) => ((Math.atan2(x - cx, cy - y) * 180) / Math.PI + 360) % 360;

function inTriangle(ax, ay, bx, by, cx, cy) {
  return (x, y) => {
    const s1 = (bx - ax) * (y - ay) - (by - ay) * (x - ax);
    const s2 = (cx - bx) * (y - by) - (cy - by) * (x - bx);
    const s3 = (ax - cx) * (y - cy) - (ay - cy) * (x - cx);
    return (s1 >= 0 && s2 >= 0 && s3 >= 0) || (s1 <= 0 && s2 <= 0 && s3 <= 0);
  };
}

/**
 * The sync glyph: two arcs chasing each other round a circle, each ending in an arrowhead.
 * `cx, cy, r` centre and radius of the ring's middle line, `w` the stroke width.
 */
function syncArrows(cx, cy, r, w) {
  const arcs = [
    [20, 160],
    [200, 340],
  ];
  const heads = arcs.map(([, end]) => {
    const a = (end * Math.PI) / 180;
    // The arrowhead sits at the arc's end, pointing clockwise (along the tangent).
    const px = cx + r * Math.sin(a);
    const py = cy - r * Math.cos(a);
    const tx = Math.cos(a);
    const ty = Math.sin(a);
    const nx = Math.sin(a);
    const ny = -Math.cos(a);
    const half = w * 1.25;
    const length = w * 1.6;
    return inTriangle(px + nx * half, py + ny * half, px - nx * half, py - ny * half, px + tx * length, py + ty * length);
  });
  return (x, y) => {
    const d = Math.hypot(x - cx, y - cy);
    if (Math.abs(d - r) <= w / 2) {
      const angle = angleOf(cx, cy, x, y);
      if (arcs.some(([from, to]) => angle >= from && angle <= to)) return true;
    }
    return heads.some((head) => head(x, y));
  };
}

const pauseBars = (cx, cy, h, w, gap) => {
  const left = roundedRect(cx - gap / 2 - w, cy - h / 2, cx - gap / 2, cy + h / 2, w / 3);
  const right = roundedRect(cx + gap / 2, cy - h / 2, cx + gap / 2 + w, cy + h / 2, w / 3);
  return (x, y) => left(x, y) || right(x, y);
};

/** Renders layers [{ shape(x, y) → boolean, color: [r, g, b, a] | (x, y) → [r, g, b, a], erase? }]. */
export function render(size, layers) {
  const data = new Uint8ClampedArray(size * size * 4);
  const samples = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      // Accumulate premultiplied colour over the samples.
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const x = (px + (sx + 0.5) / samples) / size;
          const y = (py + (sy + 0.5) / samples) / size;
          let cr = 0;
          let cg = 0;
          let cb = 0;
          let ca = 0;
          for (const layer of layers) {
            if (!layer.shape(x, y)) continue;
            if (layer.erase) {
              cr = cg = cb = ca = 0;
              continue;
            }
            const [lr, lg, lb, la] = typeof layer.color === 'function' ? layer.color(x, y) : layer.color;
            cr = lr * la + cr * (1 - la);
            cg = lg * la + cg * (1 - la);
            cb = lb * la + cb * (1 - la);
            ca = la + ca * (1 - la);
          }
          r += cr;
          g += cg;
          b += cb;
          a += ca;
        }
      }
      const n = samples * samples;
      const i = (py * size + px) * 4;
      const alpha = a / n;
      data[i] = alpha > 0 ? r / n / alpha : 0;
      data[i + 1] = alpha > 0 ? g / n / alpha : 0;
      data[i + 2] = alpha > 0 ? b / n / alpha : 0;
      data[i + 3] = Math.round(alpha * 255);
    }
  }
  return { width: size, height: size, data };
}

// ---------------------------------------------------------------------------------------------
// The app icon: a terracotta tile with a cream picture frame and the white sync arrows.

function appIconLayers() {
  const top = hex('#E07A5F');
  const bottom = hex('#B5483A');
  return [
    {
      shape: roundedRect(0.06, 0.06, 0.94, 0.94, 0.2),
      color: (_x, y) => top.map((c, i) => (i === 3 ? 1 : c + (bottom[i] - c) * y)),
    },
    { shape: roundedRect(0.18, 0.18, 0.82, 0.82, 0.06), color: hex('#F4E9D8') },
    { shape: roundedRect(0.24, 0.24, 0.76, 0.76, 0.03), color: hex('#3D405B') },
    { shape: syncArrows(0.5, 0.5, 0.16, 0.055), color: hex('#F4E9D8') },
  ];
}

// ---------------------------------------------------------------------------------------------
// Tray icons: the sync glyph (or pause bars) in the panel's foreground colour, with a coloured badge
// for the states that need the user.

// Each state differs in shape, not only colour (template images are black, and not everyone tells red
// from amber): error = round badge, attention = warning triangle, syncing = dot inside the arrows.
const BADGE_COLOR = { error: '#D62828', attention: '#F2A541', syncing: '#3A86FF' };

function badgeShapes(state) {
  if (state === 'error') return { gap: circle(0.76, 0.76, 0.26), mark: circle(0.76, 0.76, 0.2) };
  if (state === 'attention') {
    return {
      gap: inTriangle(0.76, 0.42, 0.39, 1.06, 1.13, 1.06),
      mark: inTriangle(0.76, 0.53, 0.49, 1, 1.03, 1),
    };
  }
  if (state === 'syncing') return { gap: circle(0.5, 0.5, 0.001), mark: circle(0.5, 0.5, 0.12) };
  return null;
}

function trayLayers(state, foreground) {
  const template = foreground === 'template';
  const ink = template ? [0, 0, 0, 1] : hex(foreground);
  const glyph = state === 'paused' ? pauseBars(0.5, 0.5, 0.62, 0.2, 0.16) : syncArrows(0.5, 0.5, 0.3, 0.13);
  const layers = [{ shape: glyph, color: ink }];
  const badge = badgeShapes(state);
  if (badge) {
    // A gap around the badge keeps it readable over the glyph.
    layers.push({ shape: badge.gap, erase: true });
    layers.push({ shape: badge.mark, color: template ? ink : hex(BADGE_COLOR[state]) });
  }
  return layers;
}

// ---------------------------------------------------------------------------------------------
// Containers

/** Windows .ico holding PNG images (supported since Windows Vista). */
export function encodeIco(pngsBySize) {
  const entries = [...pngsBySize.entries()].sort(([a], [b]) => a - b);
  const header = Buffer.alloc(6 + 16 * entries.length);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2); // type: icon
  header.writeUInt16LE(entries.length, 4);
  let offset = header.length;
  entries.forEach(([size, png], index) => {
    const at = 6 + 16 * index;
    header[at] = size >= 256 ? 0 : size;
    header[at + 1] = size >= 256 ? 0 : size;
    header.writeUInt16LE(1, at + 4); // colour planes
    header.writeUInt16LE(32, at + 6); // bits per pixel
    header.writeUInt32LE(png.length, at + 8);
    header.writeUInt32LE(offset, at + 12);
    offset += png.length;
  });
  return Buffer.concat([header, ...entries.map(([, png]) => png)]);
}

// ICNS element types that hold PNG data, by pixel size (the @2x types share pixel sizes).
const ICNS_TYPES = [
  ['icp4', 16],
  ['icp5', 32],
  ['ic11', 32],
  ['icp6', 64],
  ['ic12', 64],
  ['ic07', 128],
  ['ic08', 256],
  ['ic13', 256],
  ['ic09', 512],
  ['ic14', 512],
  ['ic10', 1024],
];

export function encodeIcns(pngsBySize) {
  const elements = ICNS_TYPES.filter(([, size]) => pngsBySize.has(size)).map(([type, size]) => {
    const png = pngsBySize.get(size);
    const head = Buffer.alloc(8);
    head.write(type, 0, 'latin1');
    head.writeUInt32BE(png.length + 8, 4);
    return Buffer.concat([head, png]);
  });
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'latin1');
  head.writeUInt32BE(8 + elements.reduce((sum, element) => sum + element.length, 0), 4);
  return Buffer.concat([head, ...elements]);
}

// ---------------------------------------------------------------------------------------------

function write(relative, bytes) {
  const file = path.join(root, relative);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, bytes);
}

/** A strip of every tray state at 32 px: the top row on a light panel, the bottom row on a dark one. */
function trayStrip() {
  const cell = 48;
  const icon = 32;
  const width = cell * TRAY_STATES.length;
  const height = cell * 2;
  const data = new Uint8ClampedArray(width * height * 4);
  const panels = [
    ['#F2F2F2', '#2B2B2B'],
    ['#2B2B2B', '#EDEDED'],
  ];
  panels.forEach(([panel, ink], row) => {
    const bg = hex(panel);
    for (let y = row * cell; y < (row + 1) * cell; y++) {
      for (let x = 0; x < width; x++) data.set([bg[0], bg[1], bg[2], 255], (y * width + x) * 4);
    }
    TRAY_STATES.forEach((state, column) => {
      const image = render(icon, trayLayers(state, ink));
      const ox = column * cell + (cell - icon) / 2;
      const oy = row * cell + (cell - icon) / 2;
      for (let y = 0; y < icon; y++) {
        for (let x = 0; x < icon; x++) {
          const s = (y * icon + x) * 4;
          const d = ((oy + y) * width + ox + x) * 4;
          const a = image.data[s + 3] / 255;
          for (let c = 0; c < 3; c++) data[d + c] = image.data[s + c] * a + data[d + c] * (1 - a);
        }
      }
    });
  });
  return { width, height, data };
}

export function makeIcons() {
  const appLayers = appIconLayers();
  const sizes = [16, 24, 32, 48, 64, 128, 256, 512, 1024];
  const pngs = new Map(sizes.map((size) => [size, encodePng(render(size, appLayers))]));

  write('build/icon.png', pngs.get(1024));
  for (const size of [16, 32, 48, 64, 128, 256, 512]) write(`build/icons/${size}x${size}.png`, pngs.get(size));
  write('build/icon.ico', encodeIco(new Map([16, 24, 32, 48, 64, 128, 256].map((size) => [size, pngs.get(size)]))));
  write('build/icon.icns', encodeIcns(new Map([16, 32, 64, 128, 256, 512, 1024].map((size) => [size, pngs.get(size)]))));

  for (const state of TRAY_STATES) {
    for (const [scale, suffix] of [
      [16, ''],
      [32, '@2x'],
    ]) {
      write(`resources/tray/tray-${state}-light${suffix}.png`, encodePng(render(scale, trayLayers(state, '#2B2B2B'))));
      write(`resources/tray/tray-${state}-dark${suffix}.png`, encodePng(render(scale, trayLayers(state, '#EDEDED'))));
      write(`resources/tray/tray-${state}Template${suffix}.png`, encodePng(render(scale, trayLayers(state, 'template'))));
    }
  }
  write('docs/images/tray-states.png', encodePng(trayStrip()));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  makeIcons();
  console.log('Icons written to build/, resources/tray/ and docs/images/tray-states.png');
}
