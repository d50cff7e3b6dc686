/**
 * Writes a synthetic but realistic issue directory of roughly `pages` pages for benchmarks: sections of
 * two-column Vietnamese prose with photos (print resolution) and a table, in the file format of
 * DESIGN.md. About 2,000 characters per page in the standard layout, a photo every other article.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { stringify } from 'yaml';

const PARAGRAPHS = [
  'Thực hiện Nghị quyết Đại hội Đảng bộ tỉnh, các cấp ủy đảng đã tập trung lãnh đạo, chỉ đạo phát triển kinh tế – xã hội, bảo đảm quốc phòng, an ninh; công tác xây dựng Đảng và hệ thống chính trị được chú trọng, đạt nhiều kết quả quan trọng.',
  'Đồng chí Bí thư Tỉnh ủy nhấn mạnh: mỗi cán bộ, đảng viên phải thật sự gương mẫu, nói đi đôi với làm, gắn bó mật thiết với nhân dân, kiên quyết đấu tranh với biểu hiện suy thoái về tư tưởng chính trị, đạo đức, lối sống.',
  'Năm 2026, toàn tỉnh kết nạp 1.245 đảng viên mới, đạt 103,8% kế hoạch; 98,6% tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ. Những kết quả đó khẳng định sự đoàn kết, thống nhất và quyết tâm cao của toàn Đảng bộ.',
  'Ban Thường vụ Tỉnh ủy yêu cầu các chi bộ đổi mới nội dung sinh hoạt, nâng cao chất lượng tự phê bình và phê bình, kịp thời biểu dương những tập thể, cá nhân tiêu biểu trong học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh.',
  'Ở xã Ninh Điền, chi bộ ấp Bến Cừ đã vận động nhân dân hiến đất làm đường, xây dựng nông thôn mới nâng cao; người dân đồng lòng, cán bộ sâu sát, nhờ vậy đời sống vật chất và tinh thần của bà con ngày càng được cải thiện rõ rệt.',
];

const SECTIONS = [
  'Văn bản, chính sách mới',
  'Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh',
  'Gương chi bộ, đảng viên',
  'Nghiệp vụ công tác Đảng',
  'Thông tin lý luận',
  'Công tác dân vận',
  'Tin tức – sự kiện',
];

const CHARS_PER_PAGE = 2_000;
const ARTICLE_PAGES = 3;

function articleMarkdown(n: number, withPhoto: boolean): string {
  const paras: string[] = [];
  let chars = 0;
  for (let i = 0; chars < CHARS_PER_PAGE * ARTICLE_PAGES - (withPhoto ? CHARS_PER_PAGE : 0); i++) {
    const p = PARAGRAPHS[(n + i) % PARAGRAPHS.length] ?? '';
    paras.push(p);
    chars += p.length;
    if (i === 2) paras.push(`## Những kết quả nổi bật ${n}`);
    if (i === 3 && withPhoto) paras.push(`![Quang cảnh hội nghị số ${n}](images/anh-${n}.jpg)`);
  }
  if (n % 3 === 0) paras.push('| Đơn vị | Đảng viên | Tỉ lệ |\n|---|---:|---:|\n| Xã Hòa Thành | 412 | 98% |\n| Phường Tân Ninh | 356 | 97% |');
  return `---\ntitle: Bài viết số ${n} về công tác xây dựng Đảng ở cơ sở\nauthor: Phóng viên ${n}\nunit: Đảng ủy xã Tân Đông\n---\n${paras.join('\n\n')}\n`;
}

export async function generateIssue(dir: string, pages: number): Promise<void> {
  await fs.rm(dir, { recursive: true, force: true });
  await fs.mkdir(path.join(dir, 'articles'), { recursive: true });
  await fs.mkdir(path.join(dir, 'images'), { recursive: true });
  // Measured: an article written for ARTICLE_PAGES pages sets in about 2.2 (two columns run fuller).
  const articles = Math.max(1, Math.round((pages - 2) / 2.2));
  const perSection = Math.max(1, Math.ceil(articles / SECTIONS.length));
  const sections: Array<{ title: string; articles: string[] }> = [];
  const photo = await sharp({ create: { width: 1800, height: 1200, channels: 3, background: { r: 120, g: 90, b: 60 } } })
    .composite([{ input: Buffer.from('<svg width="1800" height="1200"><circle cx="900" cy="600" r="500" fill="#c33"/></svg>') }])
    .jpeg({ quality: 82 })
    .toBuffer();
  for (let n = 1; n <= articles; n++) {
    const withPhoto = n % 2 === 1;
    const rel = `articles/${String(n).padStart(3, '0')}-bai-viet.md`;
    await fs.writeFile(path.join(dir, rel), articleMarkdown(n, withPhoto));
    if (withPhoto) await fs.writeFile(path.join(dir, 'images', `anh-${n}.jpg`), photo);
    const s = Math.floor((n - 1) / perSection);
    const section = (sections[s] ??= { title: SECTIONS[s % SECTIONS.length] ?? `Chuyên mục ${s + 1}`, articles: [] });
    section.articles.push(rel);
  }
  const issue = {
    bulletin: {
      name: 'Thông báo Nội bộ',
      publisher: 'Ban Tuyên giáo và Dân vận Tỉnh ủy Tây Ninh',
      address: 'Số 61 đường Nguyễn Huệ, phường Long An, tỉnh Tây Ninh',
      responsible: 'Nguyễn Văn An',
      licence: { number: '15/GP-STTTT', date: '2025-12-22', issuer: 'Sở Văn hóa, Thể thao và Du lịch tỉnh Tây Ninh', expires: '2099-12-31' },
      frequency: '1 kỳ/tháng',
      printShop: 'Công ty TNHH MTV In Tây Ninh',
    },
    number: 11,
    date: '2026-11-15',
    printRun: 3110,
    layout: 'standard',
    trim: { width: '190mm', height: '270mm' },
    bleed: '3mm',
    sections,
  };
  await fs.writeFile(path.join(dir, 'issue.yaml'), stringify(issue));
}
