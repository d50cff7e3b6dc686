/**
 * Builds .docx files from WordprocessingML in tests and the benchmark (JSZip), so fixtures say exactly
 * which font each run has and where it inherits it from.
 */
import JSZip from 'jszip';

export interface RunSpec {
  text: string;
  /** Direct font on the run (w:rFonts ascii + hAnsi) */
  font?: string;
  /** Theme font reference on the run, e.g. "minorHAnsi" */
  themeFont?: string;
  bold?: boolean;
  italic?: boolean;
  /** Word's All caps / Small caps on the run */
  caps?: boolean;
  smallCaps?: boolean;
  /** Character style id */
  style?: string;
}

export interface ParagraphSpec {
  runs?: (RunSpec | string)[];
  /** Paragraph style id, e.g. "Heading1" or a custom one from DocxSpec.styles */
  style?: string;
  /** Index into DocxSpec.images: this paragraph holds that picture */
  image?: number;
  /** Footnote text attached at the end of the paragraph */
  footnote?: string;
  /** Makes the paragraph a list item (numbering.xml is generated) */
  list?: 'bullet' | 'number';
  /** Instead of a paragraph: a table, rows × cells of runs */
  table?: (RunSpec | string)[][][];
  /** Table style id for `table` */
  tableStyle?: string;
  /** Instead of a paragraph: this WordprocessingML, as is (hyperlinks, text boxes, odd run splits) */
  xml?: string;
}

export interface StyleSpec {
  id: string;
  name: string;
  type?: 'paragraph' | 'character' | 'table';
  font?: string;
  basedOn?: string;
  isDefault?: boolean;
  caps?: boolean;
  smallCaps?: boolean;
  /** Table styles: font of the header row (conditional formatting "firstRow") */
  firstRowFont?: string;
}

export interface DocxSpec {
  paragraphs: ParagraphSpec[];
  /** Font in w:docDefaults (what every run inherits unless something closer says otherwise) */
  defaultFont?: string;
  /** Theme minor font (for themeFont runs) */
  themeMinorFont?: string;
  styles?: StyleSpec[];
  images?: { bytes: Uint8Array; ext: 'jpeg' | 'png' | 'emf' }[];
  /** Font of the list levels in numbering.xml (Word formats the number with it) */
  listFont?: string;
  /** External hyperlink relationships: id → URL (use with `xml` paragraphs holding <w:hyperlink r:id>) */
  links?: Record<string, string>;
  /** A header part with this text and/or picture (index into images) */
  header?: { text?: RunSpec | string; image?: number };
}

const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
const R = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

export function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function runXml(run: RunSpec | string): string {
  const r = typeof run === 'string' ? { text: run } : run;
  const props = [
    r.themeFont ? `<w:rFonts w:asciiTheme="${r.themeFont}" w:hAnsiTheme="${r.themeFont}"/>` : '',
    r.font ? `<w:rFonts w:ascii="${xmlEscape(r.font)}" w:hAnsi="${xmlEscape(r.font)}"/>` : '',
    r.style ? `<w:rStyle w:val="${r.style}"/>` : '',
    r.bold ? '<w:b/>' : '',
    r.italic ? '<w:i/>' : '',
    r.caps === undefined ? '' : r.caps ? '<w:caps/>' : '<w:caps w:val="0"/>',
    r.smallCaps ? '<w:smallCaps/>' : '',
  ].join('');
  return `<w:r>${props ? `<w:rPr>${props}</w:rPr>` : ''}<w:t xml:space="preserve">${xmlEscape(r.text)}</w:t></w:r>`;
}

function imageXml(index: number): string {
  return `<w:r><w:drawing><wp:inline xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"><wp:extent cx="3600000" cy="2400000"/><wp:docPr id="${index + 1}" name="Picture ${index + 1}" descr="Ảnh ${index + 1}"/><a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:nvPicPr><pic:cNvPr id="0" name="image${index + 1}"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:embed="rIdImg${index + 1}"/></pic:blipFill><pic:spPr/></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>`;
}

function stylesXml(spec: DocxSpec): string {
  const defaults = spec.defaultFont
    ? `<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="${xmlEscape(spec.defaultFont)}" w:hAnsi="${xmlEscape(spec.defaultFont)}"/></w:rPr></w:rPrDefault></w:docDefaults>`
    : '';
  const builtIn: StyleSpec[] = [
    { id: 'Normal', name: 'Normal', isDefault: true },
    { id: 'Heading1', name: 'heading 1', basedOn: 'Normal' },
    { id: 'Heading2', name: 'heading 2', basedOn: 'Normal' },
  ];
  const styles = [...builtIn.filter((b) => !spec.styles?.some((s) => s.id === b.id)), ...(spec.styles ?? [])]
    .map((s) => {
      const fonts = (f: string): string => `<w:rFonts w:ascii="${xmlEscape(f)}" w:hAnsi="${xmlEscape(f)}"/>`;
      const props = [s.font ? fonts(s.font) : '', s.caps ? '<w:caps/>' : '', s.smallCaps ? '<w:smallCaps/>' : ''].join('');
      const rPr = props ? `<w:rPr>${props}</w:rPr>` : '';
      const firstRow = s.firstRowFont ? `<w:tblStylePr w:type="firstRow"><w:rPr>${fonts(s.firstRowFont)}</w:rPr></w:tblStylePr>` : '';
      return `<w:style w:type="${s.type ?? 'paragraph'}" w:styleId="${s.id}"${s.isDefault ? ' w:default="1"' : ''}><w:name w:val="${xmlEscape(s.name)}"/>${s.basedOn ? `<w:basedOn w:val="${s.basedOn}"/>` : ''}${rPr}${firstRow}</w:style>`;
    })
    .join('');
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:styles xmlns:w="${W}">${defaults}${styles}</w:styles>`;
}

/** A .docx as bytes. */
export async function buildDocx(spec: DocxSpec): Promise<Buffer> {
  const zip = new JSZip();
  const images = spec.images ?? [];
  const footnotes: string[] = [];
  const body = spec.paragraphs
    .map((p) => {
      if (p.xml !== undefined) return p.xml;
      if (p.table) {
        const rows = p.table.map((row) => `<w:tr>${row.map((cell) => `<w:tc><w:p>${cell.map(runXml).join('')}</w:p></w:tc>`).join('')}</w:tr>`).join('');
        const style = p.tableStyle ? `<w:tblStyle w:val="${p.tableStyle}"/>` : '';
        return `<w:tbl><w:tblPr>${style}<w:tblW w:w="0" w:type="auto"/></w:tblPr>${rows}</w:tbl>`;
      }
      const numPr = p.list ? `<w:numPr><w:ilvl w:val="0"/><w:numId w:val="${p.list === 'bullet' ? 1 : 2}"/></w:numPr>` : '';
      const pPr = p.style || numPr ? `<w:pPr>${p.style ? `<w:pStyle w:val="${p.style}"/>` : ''}${numPr}</w:pPr>` : '';
      const runs = (p.runs ?? []).map(runXml).join('');
      const image = p.image !== undefined ? imageXml(p.image) : '';
      let note = '';
      if (p.footnote !== undefined) {
        footnotes.push(p.footnote);
        note = `<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteReference w:id="${footnotes.length}"/></w:r>`;
      }
      return `<w:p>${pPr}${runs}${image}${note}</w:p>`;
    })
    .join('');
  zip.file('word/document.xml', `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="${W}" xmlns:r="${R}"><w:body>${body}<w:sectPr/></w:body></w:document>`);
  zip.file('word/styles.xml', stylesXml(spec));
  const rels = [
    `<Relationship Id="rIdStyles" Type="${R}/styles" Target="styles.xml"/>`,
    // Only pictures the body shows are related to the main document (a header's picture belongs to the header).
    ...images.map((img, i) => (spec.header?.image === i && !spec.paragraphs.some((p) => p.image === i) ? '' : `<Relationship Id="rIdImg${i + 1}" Type="${R}/image" Target="media/image${i + 1}.${img.ext}"/>`)),
  ];
  for (const [id, url] of Object.entries(spec.links ?? {})) rels.push(`<Relationship Id="${id}" Type="${R}/hyperlink" Target="${xmlEscape(url)}" TargetMode="External"/>`);
  if (footnotes.length) {
    rels.push(`<Relationship Id="rIdNotes" Type="${R}/footnotes" Target="footnotes.xml"/>`);
    const notes = footnotes.map((t, i) => `<w:footnote w:id="${i + 1}"><w:p>${runXml(t)}</w:p></w:footnote>`).join('');
    zip.file('word/footnotes.xml', `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes xmlns:w="${W}"><w:footnote w:type="separator" w:id="-1"><w:p/></w:footnote>${notes}</w:footnotes>`);
  }
  if (spec.paragraphs.some((p) => p.list)) {
    rels.push(`<Relationship Id="rIdNumbering" Type="${R}/numbering" Target="numbering.xml"/>`);
    const lvlFont = spec.listFont ? `<w:rPr><w:rFonts w:ascii="${xmlEscape(spec.listFont)}" w:hAnsi="${xmlEscape(spec.listFont)}"/></w:rPr>` : '';
    const abstract = (id: number, fmt: string) => `<w:abstractNum w:abstractNumId="${id}"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="${fmt}"/><w:lvlText w:val="${fmt === 'bullet' ? '•' : '%1.'}"/>${lvlFont}</w:lvl></w:abstractNum>`;
    zip.file('word/numbering.xml', `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:numbering xmlns:w="${W}">${abstract(1, 'bullet')}${abstract(2, 'decimal')}<w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num><w:num w:numId="2"><w:abstractNumId w:val="2"/></w:num></w:numbering>`);
  }
  if (spec.themeMinorFont) {
    rels.push(`<Relationship Id="rIdTheme" Type="${R}/theme" Target="theme/theme1.xml"/>`);
    zip.file('word/theme/theme1.xml', `<?xml version="1.0" encoding="UTF-8"?><a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" name="t"><a:themeElements><a:fontScheme name="f"><a:majorFont><a:latin typeface="Arial"/></a:majorFont><a:minorFont><a:latin typeface="${xmlEscape(spec.themeMinorFont)}"/></a:minorFont></a:fontScheme></a:themeElements></a:theme>`);
  }
  if (spec.header) {
    rels.push(`<Relationship Id="rIdHeader1" Type="${R}/header" Target="header1.xml"/>`);
    const headerRels = spec.header.image !== undefined ? `<Relationship Id="rIdImg${spec.header.image + 1}" Type="${R}/image" Target="media/image${spec.header.image + 1}.${images[spec.header.image]?.ext ?? 'png'}"/>` : '';
    zip.file('word/_rels/header1.xml.rels', `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${headerRels}</Relationships>`);
    const content = `${spec.header.text !== undefined ? runXml(spec.header.text) : ''}${spec.header.image !== undefined ? imageXml(spec.header.image) : ''}`;
    zip.file('word/header1.xml', `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:hdr xmlns:w="${W}" xmlns:r="${R}"><w:p>${content}</w:p></w:hdr>`);
  }
  images.forEach((img, i) => zip.file(`word/media/image${i + 1}.${img.ext}`, img.bytes));
  zip.file('word/_rels/document.xml.rels', `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${rels.join('')}</Relationships>`);
  zip.file('_rels/.rels', `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${R}/officeDocument" Target="word/document.xml"/></Relationships>`);
  zip.file('[Content_Types].xml', `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Default Extension="jpeg" ContentType="image/jpeg"/><Default Extension="png" ContentType="image/png"/><Default Extension="emf" ContentType="image/x-emf"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`);
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

/**
 * A minimal OLE2 compound file whose directory names the given streams (e.g. "EncryptionInfo",
 * "EncryptedPackage" for a password-protected .docx; "WordDocument" for a Word 97 .doc).
 */
export function buildOle2(streams: string[]): Buffer {
  const header = Buffer.alloc(512);
  Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(header, 0);
  header.writeUInt16LE(0x003e, 24); // minor version
  header.writeUInt16LE(0x0003, 26); // major version 3 (512-byte sectors)
  header.writeUInt16LE(0xfffe, 28); // little-endian
  header.writeUInt16LE(9, 30); // sector shift
  header.writeUInt32LE(0, 48); // first directory sector
  const dir = Buffer.alloc(512);
  ['Root Entry', ...streams].slice(0, 4).forEach((name, i) => {
    const entry = dir.subarray(i * 128, (i + 1) * 128);
    const encoded = Buffer.from(name + '\0', 'utf16le');
    encoded.copy(entry, 0);
    entry.writeUInt16LE(encoded.length, 64);
    entry[66] = i === 0 ? 5 : 2; // root storage / stream
  });
  return Buffer.concat([header, dir, Buffer.alloc(512, 0x42)]);
}
