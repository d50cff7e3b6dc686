/**
 * The illustrative scenes of the sample issue issues/2026-11 (fictional places, no real people).
 * Widths follow print resolution: ≥ 2000 px for a 170 mm full-width photo, ≥ 1000 px for one column
 * (300 ppi effective at the printed size, DESIGN.md "Print conventions").
 */
import {
  between, ellipse, flag, person, pick, poly, rect, ridge, ridgeShape, star, svgDocument,
  textureFilter, vGradient, type Rng,
} from './svg-kit.ts';

export interface Scene {
  file: string;
  width: number;
  height: number;
  seed: number;
  draw: (w: number, h: number, rng: Rng) => string;
}

const SKY = vGradient('sky', [[0, '#7fa9d6'], [0.6, '#bcd3e8'], [1, '#e9eef0']]);
const TEX = textureFilter('tex', 0.012, 0.6) + textureFilter('fine', 0.08, 0.5);

function trees(rng: Rng, w: number, baseY: number, count: number, size: number): string {
  let out = '';
  for (let i = 0; i < count; i++) {
    const x = between(rng, 0, w);
    const r = size * between(rng, 0.6, 1.3);
    const g = pick(rng, ['#2f5d2e', '#3b6b34', '#28502a', '#46773c']);
    out += rect(x - r * 0.08, baseY - r * 0.6, r * 0.16, r * 0.9, '#4a3b2a');
    out += ellipse(x, baseY - r * 1.1, r * 0.9, r * 0.75, g) + ellipse(x + r * 0.4, baseY - r * 0.8, r * 0.6, r * 0.5, g);
  }
  return out;
}

function sky(w: number, h: number): string {
  return rect(0, 0, w, h, 'url(#sky)', 'filter="url(#tex)"');
}

function riceFields(w: number, h: number, rng: Rng): string {
  const horizon = h * 0.42;
  let out = sky(w, horizon + 5);
  out += ridgeShape(ridge(rng, 0, w, horizon - h * 0.03, h * 0.05), horizon + 4, '#3f6339');
  out += rect(0, horizon, w, h - horizon, '#7aa64a', 'filter="url(#tex)"');
  for (let i = 0; i < 28; i++) {
    const y0 = horizon + ((h - horizon) * (i / 28) ** 1.7);
    const y1 = horizon + ((h - horizon) * ((i + 1) / 28) ** 1.7);
    const c = pick(rng, ['#8db852', '#6f9c3f', '#a3c45a', '#5f8d36', '#b5c96a']);
    out += rect(0, y0, w, y1 - y0 + 1, c, 'opacity="0.55" filter="url(#fine)"');
  }
  for (let x = -w; x < 2 * w; x += w / 18) {
    out += `<line x1="${w / 2}" y1="${horizon}" x2="${x}" y2="${h}" stroke="#e3d98a" stroke-opacity="0.18" stroke-width="${w / 400}"/>`;
  }
  for (let i = 0; i < 3; i++) {
    const x = between(rng, w * 0.2, w * 0.8);
    const y = between(rng, horizon + h * 0.15, h * 0.8);
    const s = (y - horizon) * 0.05;
    out += poly([[x - s * 2.2, y - s * 0.6], [x, y - s * 2.4], [x + s * 2.2, y - s * 0.6]], '#e9dcaa') + person(rng, x, y, s * 0.7);
  }
  return out;
}

function mountain(w: number, h: number, rng: Rng): string {
  const horizon = h * 0.66;
  let out = sky(w, h);
  for (let i = 0; i < 6; i++) out += ellipse(between(rng, 0, w), between(rng, h * 0.05, h * 0.3), between(rng, w * 0.08, w * 0.16), h * 0.04, '#ffffff', 'opacity="0.6" filter="url(#tex)"');
  const peak = ridge(rng, w * 0.12, w * 0.88, horizon, h * 0.05).map(([x, y]): [number, number] => [x, y - Math.sin(((x - w * 0.12) / (w * 0.76)) * Math.PI) * h * 0.42]);
  out += ridgeShape(peak, horizon + 2, '#4d6b55');
  out += ridgeShape(ridge(rng, 0, w, horizon - h * 0.04, h * 0.06), horizon + 4, '#3a5a3c');
  out += rect(0, horizon, w, h - horizon, '#6e9650', 'filter="url(#tex)"');
  out += rect(0, horizon + h * 0.08, w, h * 0.1, '#8fb0c4', 'opacity="0.85" filter="url(#fine)"');
  out += trees(rng, w, h * 0.98, 14, h * 0.09);
  return out;
}

function meetingHall(w: number, h: number, rng: Rng): string {
  let out = rect(0, 0, w, h, '#d9cdb6', 'filter="url(#tex)"');
  out += rect(w * 0.08, h * 0.05, w * 0.84, h * 0.34, '#b51d1d', 'filter="url(#fine)"');
  out += rect(w * 0.2, h * 0.1, w * 0.6, h * 0.05, '#f5d04a', 'opacity="0.9"');
  for (let i = 0; i < 3; i++) out += rect(w * 0.25, h * (0.18 + i * 0.045), w * 0.5, h * 0.018, '#fbe7a0', 'opacity="0.85"');
  out += star(w * 0.14, h * 0.2, h * 0.06, '#ffdd00');
  out += rect(w * 0.08, h * 0.39, w * 0.84, h * 0.06, '#6d4a2c');
  out += rect(w * 0.12, h * 0.34, w * 0.76, h * 0.06, '#f5f3ee');
  for (let i = 0; i < 9; i++) out += person(rng, w * (0.17 + i * 0.082), h * 0.33, h * 0.018, 'front');
  for (let row = 0; row < 6; row++) {
    const y = h * (0.55 + row * 0.085);
    const s = h * (0.022 + row * 0.006);
    out += rect(0, y + s * 2.2, w, s * 1.4, '#f2f0ea', 'filter="url(#fine)"');
    for (let x = s * 2.4; x < w; x += s * 4.2) out += person(rng, x + between(rng, -s * 0.3, s * 0.3), y, s);
  }
  return out;
}

function flags(w: number, h: number, rng: Rng): string {
  let out = sky(w, h) + rect(0, h * 0.78, w, h * 0.22, '#8d8d86', 'filter="url(#tex)"');
  out += trees(rng, w, h * 0.8, 10, h * 0.08);
  for (let i = 0; i < 6; i++) {
    const x = w * (0.06 + i * 0.17);
    const top = h * (0.12 + i * 0.03);
    out += rect(x, top, w * 0.008, h * 0.85 - top, '#cfcfcf');
    out += flag(x + w * 0.008, top, w * (0.13 - i * 0.01), h * 0.02 + rng() * h * 0.02);
  }
  return out;
}

function building(w: number, h: number, rng: Rng): string {
  let out = sky(w, h) + trees(rng, w, h * 0.72, 8, h * 0.14);
  out += rect(w * 0.12, h * 0.3, w * 0.76, h * 0.42, '#efe6c9', 'filter="url(#tex)"');
  out += poly([[w * 0.38, h * 0.3], [w * 0.5, h * 0.17], [w * 0.62, h * 0.3]], '#c9b98f');
  for (let r = 0; r < 3; r++) for (let c = 0; c < 10; c++) out += rect(w * (0.15 + c * 0.072), h * (0.35 + r * 0.11), w * 0.04, h * 0.07, '#6a87a0', 'filter="url(#fine)"');
  for (let c = 0; c < 6; c++) out += rect(w * (0.4 + c * 0.042), h * 0.3, w * 0.016, h * 0.42, '#fbf8ef');
  for (let s = 0; s < 5; s++) out += rect(w * (0.34 - s * 0.02), h * (0.72 + s * 0.02), w * (0.32 + s * 0.04), h * 0.02, s % 2 ? '#d7d2c4' : '#c7c1b1');
  out += rect(0, h * 0.82, w, h * 0.18, '#7f9e58', 'filter="url(#tex)"');
  out += flag(w * 0.5, h * 0.06, w * 0.06, h * 0.01) + rect(w * 0.497, h * 0.06, w * 0.004, h * 0.11, '#ddd');
  return out;
}

function road(w: number, h: number, rng: Rng): string {
  const horizon = h * 0.45;
  let out = sky(w, horizon + 2) + rect(0, horizon, w, h, '#79a04e', 'filter="url(#tex)"');
  out += trees(rng, w * 0.4, horizon + h * 0.06, 9, h * 0.1) + trees(rng, w, horizon + h * 0.05, 6, h * 0.08);
  out += poly([[w * 0.48, horizon], [w * 0.52, horizon], [w * 0.9, h], [w * 0.1, h]], '#b9b4a7', 'filter="url(#tex)"');
  out += poly([[w * 0.499, horizon], [w * 0.501, horizon], [w * 0.505, h], [w * 0.495, h]], '#efefe8', 'opacity="0.6"');
  for (let i = 0; i < 4; i++) {
    const x = between(rng, w * 0.65, w * 0.95);
    const y = horizon + h * (0.05 + i * 0.05);
    out += rect(x, y - h * 0.08, w * 0.1, h * 0.08, '#e8dcc0') + poly([[x - w * 0.01, y - h * 0.08], [x + w * 0.05, y - h * 0.13], [x + w * 0.11, y - h * 0.08]], '#a4553a');
  }
  out += person(rng, w * 0.42, h * 0.7, h * 0.025, 'front') + person(rng, w * 0.46, h * 0.72, h * 0.026, 'front');
  return out;
}

function villageHall(w: number, h: number, rng: Rng): string {
  let out = sky(w, h) + trees(rng, w, h * 0.6, 10, h * 0.13);
  out += rect(w * 0.2, h * 0.33, w * 0.6, h * 0.3, '#f1e3b3', 'filter="url(#tex)"');
  out += poly([[w * 0.15, h * 0.34], [w * 0.5, h * 0.14], [w * 0.85, h * 0.34]], '#b4492f', 'filter="url(#fine)"');
  out += rect(w * 0.3, h * 0.24, w * 0.4, h * 0.05, '#c62222') + rect(w * 0.34, h * 0.255, w * 0.32, h * 0.02, '#f5d04a');
  for (let c = 0; c < 4; c++) out += rect(w * (0.25 + c * 0.14), h * 0.42, w * 0.07, h * 0.2, '#5b4633');
  out += rect(0, h * 0.63, w, h * 0.37, '#c8bfa8', 'filter="url(#tex)"');
  for (let i = 0; i < 14; i++) out += person(rng, between(rng, w * 0.05, w * 0.95), between(rng, h * 0.72, h * 0.92), h * 0.024, pick(rng, ['back', 'front'] as const));
  return out;
}

function rubber(w: number, h: number, rng: Rng): string {
  let out = rect(0, 0, w, h, '#3e5c34', 'filter="url(#tex)"');
  out += rect(0, h * 0.62, w, h * 0.38, '#8a7752', 'filter="url(#tex)"');
  for (let row = 0; row < 9; row++) {
    const depth = (row + 1) / 9;
    const trunkW = w * 0.006 * (1 + depth * 4);
    const y = h * (0.6 + depth * 0.38);
    for (let x = (row % 2) * w * 0.05; x < w; x += w * (0.05 + depth * 0.1)) {
      out += rect(x, 0, trunkW, y, pick(rng, ['#6c6558', '#7d766a', '#5e584d']), 'filter="url(#fine)"');
      out += rect(x - trunkW * 0.1, y * 0.55, trunkW * 1.2, trunkW * 0.5, '#e7e2d3');
    }
  }
  out += rect(0, 0, w, h * 0.18, '#2f4c27', 'opacity="0.8" filter="url(#tex)"');
  return out;
}

function industrialPark(w: number, h: number, rng: Rng): string {
  let out = sky(w, h) + rect(0, h * 0.72, w, h * 0.28, '#9b9a94', 'filter="url(#tex)"');
  for (let b = 0; b < 3; b++) {
    const x = w * (0.04 + b * 0.32);
    const top = h * (0.42 + b * 0.04);
    out += rect(x, top, w * 0.29, h * 0.72 - top, pick(rng, ['#dfe3e6', '#cfd6db', '#e9eaea']), 'filter="url(#fine)"');
    for (let t = 0; t < 5; t++) out += poly([[x + t * w * 0.058, top], [x + t * w * 0.058, top - h * 0.06], [x + (t + 1) * w * 0.058, top]], '#5c7f9c');
    out += rect(x + w * 0.02, h * 0.6, w * 0.25, h * 0.03, '#3b6ea5');
  }
  out += rect(w * 0.9, h * 0.2, w * 0.025, h * 0.4, '#b9b2a7') + ellipse(w * 0.92, h * 0.16, w * 0.04, h * 0.04, '#f1f1f1', 'opacity="0.7" filter="url(#tex)"');
  for (let i = 0; i < 3; i++) out += rect(w * (0.1 + i * 0.28), h * 0.8, w * 0.14, h * 0.07, '#2c5f8a') + rect(w * (0.24 + i * 0.28), h * 0.82, w * 0.04, h * 0.05, '#e4e4e4');
  return out;
}

function classroom(w: number, h: number, rng: Rng): string {
  let out = rect(0, 0, w, h, '#e9e2d0', 'filter="url(#tex)"');
  out += rect(w * 0.25, h * 0.08, w * 0.5, h * 0.3, '#f7f7f4') + rect(w * 0.27, h * 0.1, w * 0.46, h * 0.05, '#b51d1d');
  for (let i = 0; i < 5; i++) out += rect(w * 0.3, h * (0.19 + i * 0.035), w * (0.4 - (i % 2) * 0.1), h * 0.014, '#8a8a8a');
  out += person(rng, w * 0.82, h * 0.3, h * 0.035, 'front');
  for (let row = 0; row < 5; row++) {
    const y = h * (0.5 + row * 0.1);
    const s = h * (0.026 + row * 0.007);
    out += rect(0, y + s * 2.6, w, s * 1.2, '#9c7a52', 'filter="url(#fine)"');
    for (let x = s * 3; x < w; x += s * 4.6) out += person(rng, x, y, s);
  }
  return out;
}

function bridge(w: number, h: number, rng: Rng): string {
  const water = h * 0.6;
  let out = sky(w, water) + ridgeShape(ridge(rng, 0, w, water - h * 0.03, h * 0.03), water + 2, '#476b45');
  out += rect(0, water, w, h - water, '#6f8fa3', 'filter="url(#tex)"');
  for (let i = 0; i < 40; i++) out += rect(between(rng, 0, w), between(rng, water, h), w * between(rng, 0.02, 0.08), h * 0.003, '#dfe9ee', 'opacity="0.5"');
  out += rect(0, water - h * 0.12, w, h * 0.025, '#d6d3cc');
  for (let p = 0; p < 2; p++) {
    const x = w * (0.3 + p * 0.4);
    out += rect(x - w * 0.008, water - h * 0.45, w * 0.016, h * 0.45, '#e3e0d8');
    for (let c = 1; c <= 8; c++) {
      const dx = c * w * 0.022;
      out += `<line x1="${x}" y1="${water - h * 0.43}" x2="${x - dx}" y2="${water - h * 0.11}" stroke="#f2f2ee" stroke-width="${w / 900}"/>`;
      out += `<line x1="${x}" y1="${water - h * 0.43}" x2="${x + dx}" y2="${water - h * 0.11}" stroke="#f2f2ee" stroke-width="${w / 900}"/>`;
    }
  }
  for (let p = 0; p < 9; p++) out += rect(w * (0.05 + p * 0.11), water - h * 0.1, w * 0.01, h * 0.1, '#bcb8ae');
  return out;
}

function charityHouse(w: number, h: number, rng: Rng): string {
  let out = sky(w, h) + trees(rng, w, h * 0.58, 8, h * 0.14);
  out += rect(w * 0.25, h * 0.3, w * 0.5, h * 0.32, '#f2ecd6', 'filter="url(#tex)"');
  out += poly([[w * 0.2, h * 0.31], [w * 0.5, h * 0.12], [w * 0.8, h * 0.31]], '#9b3f2b', 'filter="url(#fine)"');
  out += rect(w * 0.44, h * 0.4, w * 0.12, h * 0.22, '#6a4a2f') + rect(w * 0.3, h * 0.4, w * 0.09, h * 0.1, '#6d8ea8') + rect(w * 0.61, h * 0.4, w * 0.09, h * 0.1, '#6d8ea8');
  out += rect(w * 0.33, h * 0.64, w * 0.34, h * 0.06, '#c62222') + rect(w * 0.36, h * 0.66, w * 0.28, h * 0.02, '#f5d04a');
  out += rect(0, h * 0.7, w, h * 0.3, '#bfb59b', 'filter="url(#tex)"');
  for (let i = 0; i < 9; i++) out += person(rng, w * (0.12 + i * 0.095), h * (0.78 + (i % 2) * 0.03), h * 0.028, 'front');
  return out;
}

type Draw = (w: number, h: number, rng: Rng) => string;

function framed(draw: Draw): Draw {
  // A soft vignette, as lenses produce, so the scenes read as photographs rather than diagrams.
  return (w, h, rng) => svgDocument(
    w, h,
    SKY + TEX + '<radialGradient id="vig" cx="0.5" cy="0.5" r="0.75"><stop offset="0.6" stop-color="#000" stop-opacity="0"/><stop offset="1" stop-color="#000" stop-opacity="0.35"/></radialGradient>',
    draw(w, h, rng) + rect(0, 0, w, h, 'url(#vig)'),
  );
}

export const SCENES: readonly Scene[] = [
  { file: 'canh-dong-lua.jpg', width: 2400, height: 1500, seed: 11, draw: framed(riceFields) },
  { file: 'nui-ba-den.jpg', width: 2400, height: 1400, seed: 12, draw: framed(mountain) },
  { file: 'hoi-truong-hoi-nghi.jpg', width: 2400, height: 1600, seed: 13, draw: framed(meetingHall) },
  { file: 'cau-song-vam-co.jpg', width: 2400, height: 1350, seed: 14, draw: framed(bridge) },
  { file: 'co-to-quoc.jpg', width: 1400, height: 933, seed: 15, draw: framed(flags) },
  { file: 'tru-so-dang-uy.jpg', width: 1400, height: 1000, seed: 16, draw: framed(building) },
  { file: 'duong-be-tong.jpg', width: 1400, height: 1000, seed: 17, draw: framed(road) },
  { file: 'nha-van-hoa-ap.jpg', width: 1400, height: 1000, seed: 18, draw: framed(villageHall) },
  { file: 'vuon-cao-su.jpg', width: 1400, height: 1000, seed: 19, draw: framed(rubber) },
  { file: 'khu-cong-nghiep.jpg', width: 1400, height: 900, seed: 20, draw: framed(industrialPark) },
  { file: 'lop-boi-duong-chinh-tri.jpg', width: 1400, height: 1000, seed: 21, draw: framed(classroom) },
  { file: 'nha-tinh-nghia.jpg', width: 1400, height: 1000, seed: 22, draw: framed(charityHouse) },
];
