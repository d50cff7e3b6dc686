/**
 * The print shop's paperwork, made from job.json so it always agrees with the PDFs it travels with:
 * "Phiếu đặt in" (one A4 page: quantity, trim, pages, paper/colours/binding, date, distribution list)
 * and distribution.csv (UTF-8 with BOM so spreadsheet programs show the Vietnamese names correctly).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserHost } from '../typeset/browser.ts';
import { formatDateLongVi, formatNumberVi } from '../domain/vi-text.ts';

/** The part of job.json (typeset/write-outputs.ts jobTicket) the ticket shows. */
export interface TicketData {
  issue: { title: string; bulletin: string; publisher: string; number: number; date: string };
  pages: number;
  trim: { widthMm: number; heightMm: number };
  bleed: { mm: number };
  printRun: number;
  colours?: string;
  binding?: string;
  paper?: string;
  printShop?: string;
  licence?: { number?: string; date?: string; issuer?: string };
  distribution?: { unit: string; copies: number }[];
}

function esc(s: string | number | undefined): string {
  return String(s ?? '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function ticketHtml(t: TicketData, fontsUrl: string): string {
  const dist = t.distribution ?? [];
  const total = dist.reduce((s, d) => s + d.copies, 0);
  const rows = dist.map((d, i) => `<tr><td>${i + 1}</td><td>${esc(d.unit)}</td><td class="n">${formatNumberVi(d.copies)}</td></tr>`).join('');
  const line = (label: string, value: string) => `<tr><th>${label}</th><td>${value}</td></tr>`;
  return `<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Phiếu đặt in</title><style>
@font-face { font-family: 'Noto Serif'; src: url('${fontsUrl}NotoSerif-Regular.ttf'); }
@font-face { font-family: 'Noto Serif'; font-weight: bold; src: url('${fontsUrl}NotoSerif-Bold.ttf'); }
@page { size: A4; margin: 15mm 18mm; }
body { font-family: 'Noto Serif', serif; font-size: 10.5pt; line-height: 1.35; }
h1 { text-align: center; font-size: 16pt; margin: 0 0 2mm; }
.sub { text-align: center; margin: 0 0 5mm; }
table { border-collapse: collapse; width: 100%; margin-bottom: 4mm; }
th, td { border: 0.4pt solid #444; padding: 1.2mm 2mm; text-align: left; vertical-align: top; }
.facts th { width: 45mm; font-weight: bold; }
.n { text-align: right; }
.sign { display: flex; justify-content: space-between; margin-top: 8mm; text-align: center; }
</style></head><body>
<h1>PHIẾU ĐẶT IN</h1>
<p class="sub">Bản tin ${esc(t.issue.bulletin)} – Số ${t.issue.number}, ${esc(formatDateLongVi(t.issue.date))}<br>${esc(t.issue.publisher)}</p>
<table class="facts">
${line('Nơi in', esc(t.printShop))}
${line('Số lượng in', `${formatNumberVi(t.printRun)} bản`)}
${line('Khổ thành phẩm', `${formatNumberVi(t.trim.widthMm / 10)} × ${formatNumberVi(t.trim.heightMm / 10)} cm (xén), tràn lề ${formatNumberVi(t.bleed.mm)} mm`)}
${line('Số trang', `${t.pages} trang`)}
${line('Giấy', esc(t.paper))}
${line('Màu in', esc(t.colours))}
${line('Đóng', esc(t.binding === 'saddle-stitch' ? 'Đóng ghim giữa (saddle-stitch)' : t.binding))}
${line('Ngày phát hành', esc(formatDateLongVi(t.issue.date)))}
${line('Giấy phép xuất bản', esc([t.licence?.number, t.licence?.date ? `ngày ${formatDateLongVi(t.licence.date).replace(/^ngày /, '')}` : '', t.licence?.issuer].filter(Boolean).join(', ')))}
</table>
${dist.length ? `<table><thead><tr><th>TT</th><th>Đơn vị nhận</th><th class="n">Số bản</th></tr></thead><tbody>${rows}<tr><th></th><th>Tổng cộng</th><th class="n">${formatNumberVi(total)}</th></tr></tbody></table>` : '<p>Chưa có danh sách phân phối.</p>'}
<div class="sign"><div><strong>Đại diện nơi in</strong><br>(ký, ghi rõ họ tên)</div><div><strong>Người chịu trách nhiệm nội dung</strong><br>(ký, ghi rõ họ tên)</div></div>
</body></html>`;
}

export function distributionCsv(t: Pick<TicketData, 'distribution'>): string {
  const cell = (v: string | number) => (/[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));
  const lines = [['STT', 'Đơn vị nhận', 'Số bản'].join(',')];
  (t.distribution ?? []).forEach((d, i) => lines.push([i + 1, cell(d.unit), d.copies].join(',')));
  lines.push(['', 'Tổng cộng', (t.distribution ?? []).reduce((s, d) => s + d.copies, 0)].join(','));
  return '\uFEFF' + lines.join('\r\n') + '\r\n';
}

/** Writes print-ticket.pdf and distribution.csv next to job.json in `dir`; returns the names written. */
export async function writePrintPaperwork(dir: string, browser: BrowserHost, fontsDir: string): Promise<string[]> {
  const ticket = JSON.parse(await fs.readFile(path.join(dir, 'job.json'), 'utf8')) as TicketData;
  const htmlFile = path.join(dir, '.print-ticket.html');
  await fs.writeFile(htmlFile, ticketHtml(ticket, pathToFileURL(fontsDir + path.sep).href));
  try {
    const pdf = await browser.withPage({ allowDirs: [dir, fontsDir] }, 'print ticket', async ({ page }) => {
      await page.goto(pathToFileURL(htmlFile).href, { waitUntil: 'load' });
      await page.evaluate(() => document.fonts.ready.then(() => undefined));
      return page.pdf({ preferCSSPageSize: true, printBackground: true });
    });
    await fs.writeFile(path.join(dir, 'print-ticket.pdf'), pdf);
  } finally {
    await fs.rm(htmlFile, { force: true });
  }
  await fs.writeFile(path.join(dir, 'distribution.csv'), distributionCsv(ticket));
  return ['print-ticket.pdf', 'distribution.csv'];
}
