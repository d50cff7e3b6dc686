/**
 * The font (and Word's "All caps" / "Small caps") every run of a .docx is set in, including what it
 * inherits. mammoth does not report inherited fonts, and legacy TCVN3/VNI/VISCII/VPS text is only
 * recognisable by its font, so bantin reads word/styles.xml and word/numbering.xml itself.
 *
 * Order, nearest first (ECMA-376 §17.7.2): direct run properties → character style chain → paragraph style
 * chain → the list level of a numbered paragraph → table style (with its first-row/first-column parts) →
 * document defaults. One exception, as Word does it: a table style beats the *default* paragraph style
 * ("Normal"), so a .VnTime table style sets the font of cells whose paragraphs are plain Normal.
 * Theme fonts ("minorHAnsi") are looked up in the theme.
 */

export const W_NS = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
const A_NS = 'http://schemas.openxmlformats.org/drawingml/2006/main';

/** The run properties that matter for reading text: the Latin fonts and capitalisation. */
export interface RunProps {
  /** ASCII characters use this font */
  ascii?: string;
  /** Everything else of Latin script uses this one (where legacy Vietnamese bytes live) */
  hAnsi?: string;
  caps?: boolean;
  smallCaps?: boolean;
}

interface StyleInfo {
  basedOn?: string;
  props: RunProps;
  /** Table styles only: conditional formatting by part of the table (firstRow, firstCol, …) */
  conditional?: Map<string, RunProps>;
}

export interface FontContext {
  theme: ThemeFonts;
  styles: Map<string, StyleInfo>;
  defaultParagraphStyle?: string;
  docDefaults: RunProps;
  /** numId → level → run properties of that list level */
  numbering: Map<string, Map<string, RunProps>>;
  /** paragraph style id → its numPr (numId, ilvl), for lists that come from a style */
  styleNumbering: Map<string, { numId?: string; ilvl?: string }>;
}

export interface ThemeFonts {
  major?: string;
  minor?: string;
}

function child(el: Element | undefined, localName: string): Element | undefined {
  if (!el) return undefined;
  for (let n = el.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === 1 && (n as Element).localName === localName && (n as Element).namespaceURI === W_NS) return n as Element;
  }
  return undefined;
}

function children(el: Element | undefined, localName: string): Element[] {
  const out: Element[] = [];
  if (!el) return out;
  for (let n = el.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === 1 && (n as Element).localName === localName && (n as Element).namespaceURI === W_NS) out.push(n as Element);
  }
  return out;
}

function wAttr(el: Element | undefined, name: string): string | undefined {
  const v = el?.getAttributeNS(W_NS, name);
  return v ? v : undefined;
}

function themeFont(theme: ThemeFonts, ref: string | undefined): string | undefined {
  if (!ref) return undefined;
  return ref.startsWith('major') ? theme.major : ref.startsWith('minor') ? theme.minor : undefined;
}

/** An on/off property (<w:caps/>, <w:caps w:val="false"/>), or undefined when absent. */
function onOff(rPr: Element, name: string): boolean | undefined {
  const el = child(rPr, name);
  if (!el) return undefined;
  const v = wAttr(el, 'val');
  return v === undefined || !['0', 'false', 'off'].includes(v);
}

/** The run properties of an rPr element; a theme reference wins over the plain font name, as in Word. */
export function readRunProps(rPr: Element | undefined, theme: ThemeFonts): RunProps {
  if (!rPr) return {};
  const out: RunProps = {};
  const rFonts = child(rPr, 'rFonts');
  if (rFonts) {
    const ascii = themeFont(theme, wAttr(rFonts, 'asciiTheme')) ?? wAttr(rFonts, 'ascii');
    const hAnsi = themeFont(theme, wAttr(rFonts, 'hAnsiTheme')) ?? wAttr(rFonts, 'hAnsi');
    if (ascii) out.ascii = ascii;
    if (hAnsi) out.hAnsi = hAnsi;
  }
  const caps = onOff(rPr, 'caps');
  const smallCaps = onOff(rPr, 'smallCaps');
  if (caps !== undefined) out.caps = caps;
  if (smallCaps !== undefined) out.smallCaps = smallCaps;
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

function readNumbering(numbering: Document | undefined, theme: ThemeFonts): Map<string, Map<string, RunProps>> {
  const out = new Map<string, Map<string, RunProps>>();
  if (!numbering) return out;
  const root = numbering.documentElement ?? undefined;
  const abstract = new Map<string, Map<string, RunProps>>();
  for (const a of children(root, 'abstractNum')) {
    const levels = new Map<string, RunProps>();
    for (const lvl of children(a, 'lvl')) levels.set(wAttr(lvl, 'ilvl') ?? '0', readRunProps(child(lvl, 'rPr'), theme));
    abstract.set(wAttr(a, 'abstractNumId') ?? '', levels);
  }
  for (const num of children(root, 'num')) {
    const levels = new Map(abstract.get(wAttr(child(num, 'abstractNumId'), 'val') ?? '') ?? []);
    // <w:lvlOverride><w:lvl> replaces a level of the abstract definition for this list only.
    for (const override of children(num, 'lvlOverride')) {
      const lvl = child(override, 'lvl');
      if (lvl) levels.set(wAttr(override, 'ilvl') ?? '0', readRunProps(child(lvl, 'rPr'), theme));
    }
    out.set(wAttr(num, 'numId') ?? '', levels);
  }
  return out;
}

export function readFontContext(styles: Document | undefined, theme: ThemeFonts, numbering?: Document): FontContext {
  const ctx: FontContext = { theme, styles: new Map(), docDefaults: {}, numbering: readNumbering(numbering, theme), styleNumbering: new Map() };
  if (!styles) return ctx;
  const rPrDefault = styles.getElementsByTagNameNS(W_NS, 'rPrDefault')[0];
  ctx.docDefaults = readRunProps(child(rPrDefault, 'rPr'), theme);
  const list = styles.getElementsByTagNameNS(W_NS, 'style');
  for (let i = 0; i < list.length; i++) {
    const style = list[i];
    if (!style) continue;
    const id = wAttr(style, 'styleId');
    if (!id) continue;
    const type = wAttr(style, 'type');
    if (type === 'paragraph' && (wAttr(style, 'default') === '1' || wAttr(style, 'default') === 'true')) ctx.defaultParagraphStyle = id;
    const info: StyleInfo = { basedOn: wAttr(child(style, 'basedOn'), 'val'), props: readRunProps(child(style, 'rPr'), theme) };
    if (type === 'table') {
      info.conditional = new Map(children(style, 'tblStylePr').map((part) => [wAttr(part, 'type') ?? '', readRunProps(child(part, 'rPr'), theme)]));
    }
    const numPr = child(child(style, 'pPr'), 'numPr');
    if (numPr) ctx.styleNumbering.set(id, { numId: wAttr(child(numPr, 'numId'), 'val'), ilvl: wAttr(child(numPr, 'ilvl'), 'val') });
    ctx.styles.set(id, info);
  }
  return ctx;
}

/** Walks a style and its basedOn chain, nearest first (cycles stop). */
function styleChain(ctx: FontContext, id: string | undefined): StyleInfo[] {
  const out: StyleInfo[] = [];
  const seen = new Set<string>();
  for (let cur = id; cur && !seen.has(cur); cur = ctx.styles.get(cur)?.basedOn) {
    seen.add(cur);
    const s = ctx.styles.get(cur);
    if (s) out.push(s);
  }
  return out;
}

function ancestor(node: Node, localName: string): Element | undefined {
  for (let p = node.parentNode; p; p = p.parentNode) {
    if (p.nodeType === 1 && (p as Element).localName === localName && (p as Element).namespaceURI === W_NS) return p as Element;
  }
  return undefined;
}

function isFirstOf(el: Element, localName: string): boolean {
  for (let n = el.previousSibling; n; n = n.previousSibling) {
    if (n.nodeType === 1 && (n as Element).localName === localName && (n as Element).namespaceURI === W_NS) return false;
  }
  return true;
}

/** The table style levels (conditional parts first) for a paragraph inside a table cell. */
function tableLevels(ctx: FontContext, paragraph: Element): RunProps[] {
  const cell = ancestor(paragraph, 'tc');
  const row = cell ? ancestor(cell, 'tr') : undefined;
  const table = row ? ancestor(row, 'tbl') : undefined;
  if (!cell || !row || !table) return [];
  const tblPr = child(table, 'tblPr');
  const look = child(tblPr, 'tblLook');
  // tblLook says which conditional parts are switched on; Word's default look has first row and first column.
  const lookBits = parseInt(wAttr(look, 'val') ?? '04A0', 16);
  const lookOn = (attr: string, bit: number): boolean => {
    const v = wAttr(look, attr);
    return v !== undefined ? v === '1' || v === 'true' : (lookBits & bit) !== 0;
  };
  const parts: string[] = [];
  if (isFirstOf(row, 'tr') && lookOn('firstRow', 0x20)) parts.push('firstRow');
  if (isFirstOf(cell, 'tc') && lookOn('firstColumn', 0x80)) parts.push('firstCol');
  const out: RunProps[] = [];
  for (const style of styleChain(ctx, wAttr(child(tblPr, 'tblStyle'), 'val'))) {
    for (const part of parts) {
      const p = style.conditional?.get(part);
      if (p) out.push(p);
    }
    out.push(style.props);
  }
  return out;
}

function numberingLevel(ctx: FontContext, pPr: Element | undefined, paragraphStyle: string | undefined): RunProps[] {
  const numPr = child(pPr, 'numPr');
  let numId = wAttr(child(numPr, 'numId'), 'val');
  let ilvl = wAttr(child(numPr, 'ilvl'), 'val');
  if (numId === undefined) {
    for (const id of styleChainIds(ctx, paragraphStyle)) {
      const fromStyle = ctx.styleNumbering.get(id);
      if (fromStyle?.numId) {
        numId = fromStyle.numId;
        ilvl ??= fromStyle.ilvl;
        break;
      }
    }
  }
  const props = numId !== undefined ? ctx.numbering.get(numId)?.get(ilvl ?? '0') : undefined;
  return props ? [props] : [];
}

function styleChainIds(ctx: FontContext, id: string | undefined): string[] {
  const out: string[] = [];
  for (let cur = id; cur && !out.includes(cur); cur = ctx.styles.get(cur)?.basedOn) out.push(cur);
  return out;
}

function firstDefined<K extends keyof RunProps>(levels: RunProps[], key: K): RunProps[K] | undefined {
  for (const l of levels) if (l[key] !== undefined) return l[key];
  return undefined;
}

export interface EffectiveRun {
  /** The font for non-ASCII text (hAnsi, falling back to ascii), undefined when nothing names one */
  font: string | undefined;
  caps: boolean;
  smallCaps: boolean;
}

/** What a run really looks like once everything it inherits is applied. */
export function effectiveRun(run: Element, paragraph: Element | undefined, ctx: FontContext): EffectiveRun {
  const rPr = child(run, 'rPr');
  const pPr = paragraph ? child(paragraph, 'pPr') : undefined;
  const explicitStyle = wAttr(child(pPr, 'pStyle'), 'val');
  const paragraphStyle = explicitStyle ?? ctx.defaultParagraphStyle;
  const paragraphLevels = styleChain(ctx, paragraphStyle).map((s) => s.props);
  const table = paragraph ? tableLevels(ctx, paragraph) : [];
  const isDefaultParagraph = paragraphStyle === undefined || paragraphStyle === ctx.defaultParagraphStyle;
  const numbering = numberingLevel(ctx, pPr, paragraphStyle);
  const levels: RunProps[] = [
    readRunProps(rPr, ctx.theme),
    ...styleChain(ctx, wAttr(child(rPr, 'rStyle'), 'val')).map((s) => s.props),
    ...(isDefaultParagraph ? [...numbering, ...table, ...paragraphLevels] : [...paragraphLevels, ...numbering, ...table]),
    ctx.docDefaults,
  ];
  return {
    font: firstDefined(levels, 'hAnsi') ?? firstDefined(levels, 'ascii'),
    caps: firstDefined(levels, 'caps') ?? false,
    smallCaps: firstDefined(levels, 'smallCaps') ?? false,
  };
}

export type FontEncoding = { encoding: 'tcvn3'; capitals: boolean } | { encoding: 'vni' | 'viscii' | 'vps' } | { encoding: 'unicode' };

/**
 * ".VnTime" → TCVN3, ".VnTimeH" → TCVN3 capitals, "VNI-Times" → VNI, "VPS Times" → VPS,
 * "VISCII Times" / "VI Times" → VISCII, anything else Unicode.
 */
export function encodingOfFont(font: string | undefined): FontEncoding {
  const name = (font ?? '').trim();
  if (/^\.vn/i.test(name)) return { encoding: 'tcvn3', capitals: /h$/i.test(name.replace(/\s+/g, '')) };
  if (/^vni[-\s]/i.test(name)) return { encoding: 'vni' };
  if (/^vps/i.test(name)) return { encoding: 'vps' };
  if (/^(viscii|vi[-\s])/i.test(name)) return { encoding: 'viscii' };
  return { encoding: 'unicode' };
}

/** Font names that look like another legacy Vietnamese family bantin has no table for (BK HCM, VK…). */
export function looksLikeOtherLegacyFont(font: string | undefined): boolean {
  return /^(vk|bk|vn3|vntime|vn-|vniwin)/i.test((font ?? '').trim());
}
