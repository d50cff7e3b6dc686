/**
 * The font every run of a .docx is set in, including fonts it inherits: run properties → character style
 * chain → paragraph style chain (or the default paragraph style) → document defaults, with theme fonts
 * ("minorHAnsi") looked up in the theme. mammoth does not report inherited fonts, and legacy TCVN3/VNI text
 * is only recognisable by its font, so bantin reads word/styles.xml itself.
 */

export const W_NS = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
const A_NS = 'http://schemas.openxmlformats.org/drawingml/2006/main';

/** The font attributes that matter for Latin text: ASCII characters use `ascii`, the rest `hAnsi`. */
export interface RunFonts {
  ascii?: string;
  hAnsi?: string;
}

interface StyleInfo {
  basedOn?: string;
  fonts: RunFonts;
}

export interface FontContext {
  styles: Map<string, StyleInfo>;
  defaultParagraphStyle?: string;
  docDefaults: RunFonts;
}

export interface ThemeFonts {
  major?: string;
  minor?: string;
}

function child(el: Element, localName: string): Element | undefined {
  for (let n = el.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === 1 && (n as Element).localName === localName && (n as Element).namespaceURI === W_NS) return n as Element;
  }
  return undefined;
}

function wAttr(el: Element | undefined, name: string): string | undefined {
  const v = el?.getAttributeNS(W_NS, name);
  return v ? v : undefined;
}

function themeFont(theme: ThemeFonts, ref: string | undefined): string | undefined {
  if (!ref) return undefined;
  return ref.startsWith('major') ? theme.major : ref.startsWith('minor') ? theme.minor : undefined;
}

/** rFonts of an rPr element; a theme reference wins over the plain name, as in Word. */
export function readRunFonts(rPr: Element | undefined, theme: ThemeFonts): RunFonts {
  const rFonts = rPr ? child(rPr, 'rFonts') : undefined;
  if (!rFonts) return {};
  const ascii = themeFont(theme, wAttr(rFonts, 'asciiTheme')) ?? wAttr(rFonts, 'ascii');
  const hAnsi = themeFont(theme, wAttr(rFonts, 'hAnsiTheme')) ?? wAttr(rFonts, 'hAnsi');
  const out: RunFonts = {};
  if (ascii) out.ascii = ascii;
  if (hAnsi) out.hAnsi = hAnsi;
  return out;
}

export function readThemeFonts(theme: Document | undefined): ThemeFonts {
  if (!theme) return {};
  const latin = (which: string): string | undefined => {
    const holder = theme.getElementsByTagNameNS(A_NS, which)[0];
    const el = holder ? holder.getElementsByTagNameNS(A_NS, 'latin')[0] : undefined;
    return el?.getAttribute('typeface') || undefined;
  };
  return { major: latin('majorFont'), minor: latin('minorFont') };
}

export function readFontContext(styles: Document | undefined, theme: ThemeFonts): FontContext {
  const ctx: FontContext = { styles: new Map(), docDefaults: {} };
  if (!styles) return ctx;
  const rPrDefault = styles.getElementsByTagNameNS(W_NS, 'rPrDefault')[0];
  ctx.docDefaults = readRunFonts(rPrDefault ? child(rPrDefault, 'rPr') : undefined, theme);
  const list = styles.getElementsByTagNameNS(W_NS, 'style');
  for (let i = 0; i < list.length; i++) {
    const style = list[i];
    if (!style) continue;
    const id = wAttr(style, 'styleId');
    if (!id) continue;
    const type = wAttr(style, 'type');
    if (type === 'paragraph' && (wAttr(style, 'default') === '1' || wAttr(style, 'default') === 'true')) ctx.defaultParagraphStyle = id;
    ctx.styles.set(id, { basedOn: wAttr(child(style, 'basedOn'), 'val'), fonts: readRunFonts(child(style, 'rPr'), theme) });
  }
  return ctx;
}

/** Walks a style and its basedOn chain, nearest first (cycles stop). */
function styleChain(ctx: FontContext, id: string | undefined): RunFonts[] {
  const out: RunFonts[] = [];
  const seen = new Set<string>();
  for (let cur = id; cur && !seen.has(cur); cur = ctx.styles.get(cur)?.basedOn) {
    seen.add(cur);
    const s = ctx.styles.get(cur);
    if (s) out.push(s.fonts);
  }
  return out;
}

function firstDefined(levels: RunFonts[], key: keyof RunFonts): string | undefined {
  for (const l of levels) if (l[key]) return l[key];
  return undefined;
}

/**
 * The effective font of a run for non-ASCII text (hAnsi, falling back to ascii), or undefined when neither
 * the run, its styles nor the document defaults name one.
 */
export function effectiveRunFont(run: Element, paragraph: Element | undefined, ctx: FontContext, theme: ThemeFonts): string | undefined {
  const rPr = child(run, 'rPr');
  const pPr = paragraph ? child(paragraph, 'pPr') : undefined;
  const paragraphStyle = wAttr(pPr ? child(pPr, 'pStyle') : undefined, 'val') ?? ctx.defaultParagraphStyle;
  const levels: RunFonts[] = [
    readRunFonts(rPr, theme),
    ...styleChain(ctx, wAttr(rPr ? child(rPr, 'rStyle') : undefined, 'val')),
    ...styleChain(ctx, paragraphStyle),
    ctx.docDefaults,
  ];
  return firstDefined(levels, 'hAnsi') ?? firstDefined(levels, 'ascii');
}

export type FontEncoding = { encoding: 'tcvn3'; capitals: boolean } | { encoding: 'vni' } | { encoding: 'unicode' };

/** ".VnTime" → TCVN3, ".VnTimeH" → TCVN3 capitals, "VNI-Times" → VNI, anything else Unicode. */
export function encodingOfFont(font: string | undefined): FontEncoding {
  const name = (font ?? '').trim();
  if (/^\.vn/i.test(name)) return { encoding: 'tcvn3', capitals: /h$/i.test(name.replace(/\s+/g, '')) };
  if (/^vni[-\s]/i.test(name)) return { encoding: 'vni' };
  return { encoding: 'unicode' };
}

/** Font names that look like another legacy Vietnamese family bantin has no table for (VPS, VISCII, BK…). */
export function looksLikeOtherLegacyFont(font: string | undefined): boolean {
  return /^(vps|vk|bk|viscii|vn3|vntime|vn-|vniwin)/i.test((font ?? '').trim());
}
