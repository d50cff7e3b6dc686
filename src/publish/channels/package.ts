/**
 * The "portal package" (default, always available): one zip per issue with screen.pdf, the cover JPG,
 * a Vietnamese description and metadata JSON, for an operator to upload by hand to a NukeViet "news"
 * or "download" module. Written atomically to the same path each time, so re-publishing replaces it.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../../atomic-file.ts';
import { loadJsZip } from '../../lazy-deps.ts';
import type { ChannelContext, ChannelResult, PublishChannel, PublishedIssueBundle } from '../channel.ts';

export const PACKAGES_DIR = 'portal-packages';

const INSTRUCTIONS = `HƯỚNG DẪN ĐĂNG LÊN CỔNG THÔNG TIN (NukeViet)

1. Đăng nhập trang quản trị cổng thông tin.
2. Mô-đun "Tin tức" (news): Thêm bài viết; Tiêu đề và Mô tả lấy từ tệp mo-ta.txt;
   Ảnh minh họa: cover.jpg; đính kèm tệp screen.pdf (mục "Tệp đính kèm").
   Hoặc mô-đun "Tải về" (download): Thêm tệp; tải lên screen.pdf, hình ảnh cover.jpg,
   phần giới thiệu lấy từ mo-ta.txt.
3. Đối chiếu mã kiểm tra sha256 của screen.pdf với metadata.json trước khi đăng.
4. Khi đăng lại một số đã có, sửa bài/tệp cũ thay vì thêm mới.
`;

export class PackageChannel implements PublishChannel {
  readonly kind = 'package' as const;

  constructor(private readonly dataDir: string) {}

  async publish(issue: PublishedIssueBundle, _ctx: ChannelContext): Promise<ChannelResult> {
    const JSZip = await loadJsZip();
    const zip = new JSZip();
    const date = new Date(issue.publishedAt);
    zip.file('screen.pdf', issue.screenPdf.bytes, { date });
    zip.file('cover.jpg', issue.cover.bytes, { date });
    zip.file('mo-ta.txt', `${issue.title}\n\n${issue.description}\n`, { date });
    zip.file('metadata.json', JSON.stringify(packageMetadata(issue), null, 2) + '\n', { date });
    zip.file('HUONG-DAN.txt', INSTRUCTIONS, { date });
    const bytes = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 6 } });
    const rel = path.join(PACKAGES_DIR, `${issue.key}.zip`);
    const abs = path.join(this.dataDir, rel);
    await fs.mkdir(path.dirname(abs), { recursive: true });
    await writeFileAtomic(abs, bytes);
    return { remoteId: rel, remoteIds: { path: rel, bytes: String(bytes.length) } };
  }
}

export function packageMetadata(issue: PublishedIssueBundle): Record<string, unknown> {
  return {
    key: issue.key,
    bulletin: issue.bulletinName,
    publisher: issue.publisher,
    title: issue.title,
    number: issue.number,
    year: issue.year,
    date: issue.date,
    pages: issue.pages,
    publishedAt: issue.publishedAt,
    circulation: 'Lưu hành nội bộ',
    files: [
      { name: 'screen.pdf', bytes: issue.screenPdf.bytes.length, sha256: issue.screenPdf.sha256 },
      { name: 'cover.jpg', bytes: issue.cover.bytes.length, sha256: issue.cover.sha256 },
    ],
    toc: issue.toc,
  };
}
