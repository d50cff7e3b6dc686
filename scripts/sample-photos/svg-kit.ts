/**
 * Small SVG drawing kit for the generated sample photos (scripts/make-sample-photos.ts).
 * Everything is seeded, so re-running the script reproduces the committed JPEGs byte for byte
 * (same sharp/libvips version) and a diff in git means the scene really changed.
 */

export type Rng = () => number;

/** mulberry32: tiny, fast, good enough for texture; Math.random cannot be seeded. */
export function seededRng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function between(rng: Rng, min: number, max: number): number {
  return min + (max - min) * rng();
}

export function pick<T>(rng: Rng, items: readonly T[]): T {
  const item = items[Math.floor(rng() * items.length)];
  if (item === undefined) throw new Error('pick() needs a non-empty list');
  return item;
}

/** A vertical linear gradient definition; use as fill="url(#id)". */
export function vGradient(id: string, stops: ReadonlyArray<readonly [number, string]>): string {
  const s = stops.map(([o, c]) => `<stop offset="${o}" stop-color="${c}"/>`).join('');
  return `<linearGradient id="${id}" x1="0" y1="0" x2="0" y2="1">${s}</linearGradient>`;
}

/**
 * Fractal-noise texture filter (librsvg supports feTurbulence): breaks up flat fills so areas look
 * like grass, concrete or cloud instead of vector art, and so JPEG compresses them like a photo.
 */
export function textureFilter(id: string, frequency: number, strength: number): string {
  // fractalNoise fills all four channels; the colour matrix makes it grey and opaque so the
  // arithmetic step below modulates brightness (S * (1 + strength * (N - 0.5))) without
  // punching holes in the alpha channel, and the final "in" keeps the shape's own outline.
  const grey = '0.33 0.33 0.33 0 0 0.33 0.33 0.33 0 0 0.33 0.33 0.33 0 0 0 0 0 0 1';
  return (
    `<filter id="${id}" x="0" y="0" width="100%" height="100%">` +
    `<feTurbulence type="fractalNoise" baseFrequency="${frequency}" numOctaves="3" seed="7" result="n"/>` +
    `<feColorMatrix in="n" type="matrix" values="${grey}" result="g"/>` +
    `<feComposite in="SourceGraphic" in2="g" operator="arithmetic" k1="${strength}" k2="${1 - strength / 2}" k3="0" k4="0" result="m"/>` +
    `<feComposite in="m" in2="SourceGraphic" operator="in"/>` +
    `</filter>`
  );
}

export function rect(x: number, y: number, w: number, h: number, fill: string, extra = ''): string {
  return `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${w.toFixed(1)}" height="${h.toFixed(1)}" fill="${fill}" ${extra}/>`;
}

export function poly(points: ReadonlyArray<readonly [number, number]>, fill: string, extra = ''): string {
  const p = points.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(' ');
  return `<polygon points="${p}" fill="${fill}" ${extra}/>`;
}

export function ellipse(cx: number, cy: number, rx: number, ry: number, fill: string, extra = ''): string {
  return `<ellipse cx="${cx.toFixed(1)}" cy="${cy.toFixed(1)}" rx="${rx.toFixed(1)}" ry="${ry.toFixed(1)}" fill="${fill}" ${extra}/>`;
}

/** A ridge line by midpoint displacement: mountains, tree lines, distant roofs. */
export function ridge(rng: Rng, x0: number, x1: number, baseY: number, rough: number, steps = 7): Array<[number, number]> {
  let pts: Array<[number, number]> = [[x0, baseY], [x1, baseY]];
  let amp = rough;
  for (let s = 0; s < steps; s++) {
    const next: Array<[number, number]> = [];
    for (let i = 0; i < pts.length - 1; i++) {
      const a = pts[i];
      const b = pts[i + 1];
      if (!a || !b) continue;
      next.push(a, [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2 + between(rng, -amp, amp)]);
    }
    const last = pts[pts.length - 1];
    if (last) next.push(last);
    pts = next;
    amp *= 0.55;
  }
  return pts;
}

/** Closes a ridge down to the bottom edge so it can be filled. */
export function ridgeShape(points: Array<[number, number]>, bottom: number, fill: string): string {
  const first = points[0];
  const last = points[points.length - 1];
  if (!first || !last) return '';
  return poly([...points, [last[0], bottom], [first[0], bottom]], fill);
}

/** A five-pointed star centred on (cx, cy): the flag of Việt Nam and banners. */
export function star(cx: number, cy: number, r: number, fill: string): string {
  const pts: Array<[number, number]> = [];
  for (let i = 0; i < 10; i++) {
    const rr = i % 2 === 0 ? r : r * 0.382;
    const ang = -Math.PI / 2 + (i * Math.PI) / 5;
    pts.push([cx + rr * Math.cos(ang), cy + rr * Math.sin(ang)]);
  }
  return poly(pts, fill);
}

export function flag(x: number, y: number, w: number, wave: number): string {
  const h = w * (2 / 3);
  const path =
    `M${x},${y} Q${x + w * 0.25},${y - wave} ${x + w * 0.5},${y} T${x + w},${y} ` +
    `L${x + w},${y + h} Q${x + w * 0.75},${y + h + wave} ${x + w * 0.5},${y + h} T${x},${y + h} Z`;
  return `<path d="${path}" fill="#d8201f"/>` + star(x + w / 2, y + h / 2, h * 0.3, '#ffdd00');
}

const SKIN = ['#c98e66', '#b97a55', '#d9a27c', '#a86f4c'];
const HAIR = ['#1b1714', '#2a211c', '#3a3330', '#777069'];
const SHIRTS = ['#f3f1ea', '#e8e6df', '#dfe6ee', '#3d5a80', '#f0efe8', '#9bb0c4', '#2f4858'];

/** A seated or standing person seen from behind or the front, at scale s (head radius). */
export function person(rng: Rng, x: number, y: number, s: number, facing: 'back' | 'front' = 'back'): string {
  const shirt = pick(rng, SHIRTS);
  const skin = pick(rng, SKIN);
  const hair = pick(rng, HAIR);
  const body = `<path d="M${x - s * 1.9},${y + s * 4.2} Q${x - s * 1.8},${y + s * 1.2} ${x},${y + s * 1.1} Q${x + s * 1.8},${y + s * 1.2} ${x + s * 1.9},${y + s * 4.2} Z" fill="${shirt}"/>`;
  const head = ellipse(x, y, s * 0.82, s, skin);
  const hairShape = facing === 'back'
    ? ellipse(x, y - s * 0.1, s * 0.86, s * 0.95, hair)
    : ellipse(x, y - s * 0.55, s * 0.84, s * 0.5, hair);
  return body + head + hairShape;
}

export function svgDocument(w: number, h: number, defs: string, body: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}"><defs>${defs}</defs>${body}</svg>`;
}
