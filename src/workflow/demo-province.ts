/**
 * `npm run demo`: a demo province (Tây Ninh after the 2025 reform) loaded through the same use cases as
 * the app, so audit log, revisions and notifications look real. Articles come from the sample issue
 * (issues/2026-11/articles/*.md) when present, plus generated news items, spread over every state.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import MarkdownIt from 'markdown-it';
import YAML from 'yaml';
import { BulletinBody } from '../domain/api-schemas.ts';
import type { Role } from '../domain/roles.ts';
import type { Actor } from '../domain/user.ts';
import type { ArticleState } from '../domain/article.ts';
import type { Store } from '../store/index.ts';
import { createServices, type Services } from './index.ts';
import { toActor } from './auth.ts';
import { slugify } from '../domain/vi-text.ts';

export interface DemoLogin {
  username: string;
  password: string;
  role: Role;
  unit: string | null;
}

interface DemoArticle {
  title: string;
  subtitle?: string;
  lead?: string;
  author?: string;
  unit: string;
  section: string;
  bodyHtml: string;
}

const BOARDS = ['Ban Tuyên giáo và Dân vận Tỉnh ủy', 'Ban Tổ chức Tỉnh ủy', 'Ủy ban Kiểm tra Tỉnh ủy', 'Ban Chỉ đạo 35 Tỉnh ủy'];
const AGENCIES = ['Văn phòng Tỉnh ủy', 'Đảng ủy các cơ quan Đảng tỉnh', 'Đảng ủy Ủy ban nhân dân tỉnh', 'Trường Chính trị tỉnh', 'Hội Cựu chiến binh tỉnh'];
const COMMUNES = ['Đảng ủy phường Long An', 'Đảng ủy phường Tân Ninh', 'Đảng ủy phường Trảng Bàng', 'Đảng ủy phường Hòa Thành', 'Đảng ủy xã Bến Cầu',
  'Đảng ủy xã Châu Thành', 'Đảng ủy xã Tân Biên', 'Đảng ủy xã Đức Hòa', 'Đảng ủy xã Ninh Điền', 'Đảng ủy xã Long Thuận', 'Đảng ủy xã Tân Đông', 'Đảng ủy xã Dương Minh Châu'];
const SECTIONS = ['Văn bản, chính sách mới', 'Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh', 'Gương chi bộ, đảng viên',
  'Nghiệp vụ công tác Đảng', 'Thông tin lý luận', 'Tin tức – sự kiện'];

function password(): string {
  return randomBytes(9).toString('base64url');
}

/**
 * Photos of the sample articles are files next to them (`../images/x.jpg`); an article in the app carries
 * its photos itself, as an upload would, so the demo issues typeset with their pictures.
 */
function embedPhotos(html: string, articleDir: string): string {
  return html.replace(/\bsrc="([^"]+\.(jpe?g|png))"/gi, (all, rel: string, ext: string) => {
    const candidates = [path.join(articleDir, rel), path.join(articleDir, '..', rel)];
    const file = candidates.find((f) => fs.existsSync(f));
    if (!file) return all;
    const type = ext.toLowerCase() === 'png' ? 'png' : 'jpeg';
    return `src="data:image/${type};base64,${fs.readFileSync(file).toString('base64')}"`;
  });
}

/** Articles of the sample issue: YAML front matter + Markdown, section from issue.yaml. */
function sampleArticles(issueDir: string): DemoArticle[] {
  const issueFile = path.join(issueDir, 'issue.yaml');
  if (!fs.existsSync(issueFile)) return [];
  const issue = YAML.parse(fs.readFileSync(issueFile, 'utf8')) as { sections?: { title: string; articles?: string[] }[] };
  const md = new MarkdownIt({ html: true });
  const out: DemoArticle[] = [];
  for (const section of issue.sections ?? []) {
    for (const rel of section.articles ?? []) {
      const file = path.join(issueDir, rel);
      if (!rel.endsWith('.md') || !fs.existsSync(file)) continue;
      const text = fs.readFileSync(file, 'utf8');
      const m = /^---\r?\n([\s\S]*?)\r?\n---\r?\n([\s\S]*)$/.exec(text);
      if (!m) continue;
      const meta = YAML.parse(m[1] ?? '') as Record<string, unknown>;
      const str = (k: string) => (typeof meta[k] === 'string' ? (meta[k] as string) : undefined);
      const title = str('title');
      if (!title) continue;
      const bodyHtml = embedPhotos(md.render(m[2] ?? ''), path.dirname(file));
      out.push({ title, subtitle: str('subtitle'), lead: str('lead'), author: str('author'), unit: str('unit') ?? COMMUNES[0]!, section: section.title, bodyHtml });
    }
  }
  return out;
}

const NEWS_TOPICS = [
  ['tổ chức Hội nghị học tập, quán triệt Nghị quyết Đại hội Đảng bộ tỉnh', 'Hội nghị có hơn 200 cán bộ, đảng viên tham dự.'],
  ['sơ kết 9 tháng thực hiện Chỉ thị 05-CT/TW', 'Nhiều mô hình học tập và làm theo Bác được nhân rộng.'],
  ['trao Huy hiệu 30, 40, 50 năm tuổi Đảng cho đảng viên', 'Đây là sự ghi nhận những đóng góp bền bỉ của các đảng viên lão thành.'],
  ['ra mắt mô hình “Dân vận khéo” trong xây dựng nông thôn mới', 'Người dân hiến hơn 3.000 m² đất làm đường giao thông nông thôn.'],
  ['kết nạp đảng viên mới là đoàn viên thanh niên tiêu biểu', 'Các quần chúng ưu tú đều là lực lượng nòng cốt ở cơ sở.'],
  ['triển khai Sổ tay đảng viên điện tử đến các chi bộ', 'Đến nay 96% đảng viên đã cài đặt và sử dụng.'],
  ['tổ chức sinh hoạt chuyên đề về bảo vệ nền tảng tư tưởng của Đảng', 'Các đảng viên trao đổi về cách nhận diện thông tin xấu độc trên mạng xã hội.'],
  ['kiểm tra, giám sát việc thực hiện nhiệm vụ của các chi bộ trực thuộc', 'Qua kiểm tra đã chấn chỉnh kịp thời những hạn chế trong sinh hoạt chi bộ.'],
  ['tuyên dương gương người tốt, việc tốt năm 2026', 'Mười tập thể và hai mươi cá nhân được khen thưởng.'],
  ['đối thoại với nhân dân về công tác chuyển đổi số', 'Nhiều ý kiến của người dân được giải đáp ngay tại hội nghị.'],
];

function generatedNews(n: number): DemoArticle[] {
  return Array.from({ length: n }, (_, i) => {
    const unit = COMMUNES[i % COMMUNES.length]!;
    const [what, detail] = NEWS_TOPICS[i % NEWS_TOPICS.length]!;
    const place = unit.replace(/^Đảng ủy /, '');
    return {
      title: `${place[0]!.toUpperCase()}${place.slice(1)} ${what}`,
      author: `Cộng tác viên ${place}`,
      unit,
      section: 'Tin tức – sự kiện',
      bodyHtml: `<p>Ngày ${String((i % 27) + 1).padStart(2, '0')}/10/2026, ${unit} ${what}.</p><p>${detail}</p><p>Đảng ủy yêu cầu các chi bộ tiếp tục nâng cao chất lượng sinh hoạt, phát huy vai trò tiên phong, gương mẫu của đảng viên.</p>`,
    };
  });
}

/**
 * How each article ends up; cycles so every state has several articles. `published` ones go into the
 * finished issue and `scheduled` ones into the issue being composed (demo-province-issues.ts): they are
 * left approved here and the issues move them on, as in the app.
 */
const STATE_PLAN: ArticleState[] = ['submitted', 'in_review', 'approved', 'returned', 'published', 'approved', 'rejected', 'scheduled', 'in_review', 'published'];

export interface DemoProvince {
  logins: DemoLogin[];
  /** Approved articles meant for the demo issues, in the order they were written */
  forIssues: { published: number[]; scheduled: number[] };
}

export async function loadDemoProvince(store: Store, opts: { issuesDir: string; now?: Date }): Promise<DemoProvince> {
  let clock = new Date((opts.now ?? new Date()).getTime() - 40 * 86_400_000);
  const s: Services = createServices({ store, clock: () => clock });
  const tick = (minutes: number) => (clock = new Date(clock.getTime() + minutes * 60_000));
  const logins: DemoLogin[] = [];

  const adminPassword = password();
  const admin = toActor(await s.auth.setup({ username: 'admin', password: adminPassword, displayName: 'Quản trị hệ thống' }));
  logins.push({ username: 'admin', password: adminPassword, role: 'admin', unit: null });

  const bulletinFile = path.join(opts.issuesDir, 'bulletin.yaml');
  const bulletin = fs.existsSync(bulletinFile) ? BulletinBody.safeParse(YAML.parse(fs.readFileSync(bulletinFile, 'utf8'))) : undefined;
  if (bulletin?.success) s.bulletin.put(admin, bulletin.data);

  const units = new Map<string, number>();
  const province = s.units.create(admin, { name: 'Tỉnh ủy Tây Ninh', kind: 'province_committee', validFrom: '2025-07-01' }).id;
  const addUnit = (name: string, kind: string) => units.set(name, s.units.create(admin, { name, kind, parentId: province, validFrom: '2025-07-01' }).id);
  BOARDS.forEach((b) => addUnit(b, 'board'));
  AGENCIES.forEach((a) => addUnit(a, 'agency'));
  COMMUNES.forEach((c) => addUnit(c, c.includes('phường') ? 'ward_committee' : 'commune_committee'));
  // The 2025 reform: a district committee that no longer exists, merged into a commune committee.
  const district = s.units.create(admin, { name: 'Huyện ủy Châu Thành', kind: 'district_committee', parentId: province, validFrom: '1991-01-01' }).id;
  s.units.merge(admin, district, { into: units.get('Đảng ủy xã Châu Thành'), date: '2025-06-30' });
  const printShopUnit = s.units.create(admin, { name: 'Công ty TNHH MTV In và Văn hóa phẩm Tây Ninh', kind: 'print_shop' }).id;

  const people = new Map<string, Actor>();
  const addUser = async (username: string, role: Role, displayName: string, unit?: string) => {
    const pw = password();
    const unitId = unit ? units.get(unit) : role === 'print_shop' ? printShopUnit : undefined;
    people.set(username, toActor(await s.users.create(admin, { username, password: pw, displayName, role, unitId })));
    logins.push({ username, password: pw, role, unit: unit ?? null });
  };
  await addUser('tongbientap', 'editor_in_chief', 'Nguyễn Hoàng Phúc', 'Ban Tuyên giáo và Dân vận Tỉnh ủy');
  await addUser('bientap1', 'editor', 'Trần Thị Thu Hà', 'Ban Tuyên giáo và Dân vận Tỉnh ủy');
  await addUser('bientap2', 'editor', 'Lê Minh Tâm', 'Ban Tuyên giáo và Dân vận Tỉnh ủy');
  await addUser('nhain', 'print_shop', 'Nhà in Tây Ninh');
  await addUser('doc.longan', 'reader', 'Đảng ủy phường Long An', 'Đảng ủy phường Long An');

  const chief = people.get('tongbientap')!;
  for (const title of SECTIONS) s.sections.ensure(chief, title);

  const articles = [...sampleArticles(path.join(opts.issuesDir, '2026-11')), ...generatedNews(24)];
  const contributorOf = async (unit: string): Promise<Actor> => {
    if (!units.has(unit)) addUnit(unit, /^Đảng ủy (xã|phường)/.test(unit) ? 'commune_committee' : 'agency');
    const username = 'ctv.' + slugify(unit.replace(/^(Đảng ủy|Ban|Hội) /, ''));
    if (!people.has(username)) await addUser(username, 'contributor', `Cộng tác viên – ${unit}`, unit);
    return people.get(username)!;
  };
  const editors = [people.get('bientap1')!, people.get('bientap2')!];
  const forIssues: DemoProvince['forIssues'] = { published: [], scheduled: [] };
  for (const [i, a] of articles.entries()) {
    tick(13 * 60);
    const author = await contributorOf(a.unit);
    const section = s.sections.ensure(chief, a.section);
    const created = await s.articles.submit(author, { title: a.title, subtitle: a.subtitle, lead: a.lead, author: a.author, sectionId: section.id, bodyHtml: a.bodyHtml });
    const editor = editors[i % 2]!;
    const target = STATE_PLAN[i % STATE_PLAN.length]!;
    if (target === 'submitted') continue;
    s.articles.assign(editor, created.id, { userId: editor.id, dueDate: new Date(clock.getTime() + 7 * 86_400_000).toISOString().slice(0, 10) });
    tick(90);
    s.articles.transition(editor, created.id, { to: 'in_review' });
    if (target === 'in_review') continue;
    tick(120);
    if (target === 'returned' || target === 'rejected') {
      const reason = target === 'returned' ? 'Đề nghị bổ sung số liệu cụ thể và ảnh minh họa có chú thích.' : 'Nội dung trùng với bài đã đăng số trước.';
      s.articles.transition(editor, created.id, { to: target, reason });
      continue;
    }
    await s.articles.update(editor, created.id, { version: created.version, title: created.title.replace(/\s+/g, ' ').trim(), lead: a.lead ?? null });
    s.articles.transition(editor, created.id, { to: 'approved' });
    if (target === 'published' || target === 'scheduled') forIssues[target].push(created.id);
  }
  return { logins, forIssues };
}
