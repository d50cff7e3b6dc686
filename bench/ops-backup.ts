/**
 * Benchmark: `bantin backup` and `bantin restore` of a data dir the size of years of use — 50,000 articles
 * (each with its first revision and an audit entry) and 120 issues whose renditions are on disk (print +
 * screen PDF + job.json of a real `bantin build` of the sample issue, copied per issue with its own bytes).
 * Both commands run as child processes under /usr/bin/time; prints a Markdown table with wall time, sizes,
 * max RSS and the load average.
 *
 * With --photos N, N photos of 200–800 KB (incompressible, like JPEGs) are stored in media/ through the
 * picture store, one in each of the first N articles' bodies (linked as the app links them), plus 5 % more
 * that no article uses, stored 30 days ago; `bantin media prune` is then timed before the backup.
 *
 *   node bin/run-ts.mjs bench/ops-backup.ts [--articles 50000] [--issues 120] [--photos 2000] [--source <built issue dir>]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { openStore, type Store } from '../src/store/index.ts';
import type { RenditionFile } from '../src/domain/issue.ts';

const { values } = parseArgs({ options: { articles: { type: 'string', default: '50000' }, issues: { type: 'string', default: '120' }, photos: { type: 'string', default: '0' }, source: { type: 'string' } } });
const ARTICLES = Number(values.articles);
const PHOTOS = Number(values.photos);
const ORPHANS = Math.round(PHOTOS * 0.05);
const ISSUES = Number(values.issues);
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bantin-bench-backup-'));
const dataDir = path.join(work, 'data');
const log = (s: string) => process.stderr.write(s + '\n');

/** A real rendition to copy: the sample issue built once (or a directory given with --source). */
function sourceRendition(): string {
  if (values.source) return path.resolve(values.source);
  const out = path.join(work, 'built');
  log('building issues/2026-11 once for realistic rendition files …');
  execFileSync(process.execPath, ['bin/bantin.mjs', 'build', 'issues/2026-11', '--out', out], { stdio: ['ignore', 'ignore', 'inherit'] });
  return out;
}

const WORDS = ('đảng viên chi bộ nghị quyết học tập làm theo tư tưởng đạo đức phong cách Hồ Chí Minh xây dựng chỉnh đốn cán bộ nhân dân ' +
  'kinh tế xã hội quốc phòng an ninh chuyển đổi số nông thôn mới dân vận khéo thanh niên phụ nữ cựu chiến binh kiểm tra giám sát').split(' ');
let seed = 7;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const sentence = (n: number) => Array.from({ length: n }, () => WORDS[Math.floor(rand() * WORDS.length)]).join(' ');

/**
 * Stores `count` photos of 200–800 KB: 16 noise JPEGs of growing size (noise does not compress, like real
 * photos), each copy made its own bytes by a random tail after the JPEG's end (decoders ignore it).
 */
async function seedPhotos(store: Store, userId: number, count: number, createdAt: string): Promise<{ sha256s: string[]; bytes: number }> {
  const bases: Buffer[] = [];
  for (let k = 0; k < 16; k += 1) {
    // ≈ 0.48 bytes per pixel² of width at quality 80: widths for 200 … 800 KB.
    const width = Math.round(Math.sqrt((200_000 + (k * 600_000) / 15) / 0.48));
    const height = Math.round(width * 0.75);
    bases.push(await sharp({ create: { width, height, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 60 } } }).jpeg({ quality: 80 }).toBuffer());
  }
  const sha256s: string[] = [];
  let bytes = 0;
  for (let i = 0; i < count; i += 1) {
    const photo = Buffer.concat([bases[i % bases.length]!, crypto.randomBytes(1024 + Math.floor(rand() * 15_000))]);
    const sha256 = await store.media.put(photo, 'jpg');
    store.pictures.insert({ sha256, mime: 'image/jpeg', width: 1000, height: 750, bytes: photo.length, createdBy: userId, createdAt });
    sha256s.push(sha256);
    bytes += photo.length;
  }
  return { sha256s, bytes };
}

async function seedDataDir(source: string): Promise<{ dbBytes: number; renditionBytes: number; photoBytes: number }> {
  const store = openStore(dataDir);
  const now = new Date().toISOString();
  const userId = store.users.insert({ username: 'bientap', passwordHash: 'x', role: 'editor', unitId: null, displayName: 'Biên tập' }, now);
  const t0 = Date.now();
  const photos = await seedPhotos(store, userId, PHOTOS, now);
  const orphans = await seedPhotos(store, userId, ORPHANS, new Date(Date.now() - 30 * 86_400_000).toISOString());
  if (PHOTOS) log(`stored ${PHOTOS} + ${ORPHANS} unused photos (${((photos.bytes + orphans.bytes) / 1e6).toFixed(0)} MB) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const t1 = Date.now();
  store.transaction(() => {
    for (let i = 0; i < ARTICLES; i += 1) {
      const photo = photos.sha256s[i];
      const figure = photo ? `<figure><img src="/media/${photo}.jpg" alt=""><figcaption>${sentence(6)}</figcaption></figure>` : '';
      const content = { title: sentence(8), subtitle: null, lead: sentence(20), bodyHtml: Array.from({ length: 6 }, () => `<p>${sentence(30)}.</p>`).join('') + figure, author: 'Phóng viên', sectionId: null };
      const id = store.articles.insert({ ...content, unitId: null, createdBy: userId }, now);
      store.articles.insertRevision(id, 1, 'create', content, userId, now);
      store.audit.insert({ actorId: userId, action: 'article.create', targetType: 'article', targetId: id }, now);
      if (photo) store.pictures.link(id, [photo]);
    }
  });
  log(`seeded ${ARTICLES} articles in ${((Date.now() - t1) / 1000).toFixed(1)} s`);
  const names = ['print.pdf', 'screen.pdf', 'job.json'].filter((n) => fs.existsSync(path.join(source, n)));
  let renditionBytes = 0;
  for (let i = 0; i < ISSUES; i += 1) {
    const issueId = store.issues.insert(
      { number: (i % 12) + 1, year: 2016 + Math.floor(i / 12), date: '2026-11-15', printRun: 3110, layout: 'standard', trim: { widthMm: 190, heightMm: 270 }, bleedMm: 3, colours: null, binding: null, paper: null, createdBy: userId },
      now,
    );
    const dir = path.join('renditions', String(issueId), '1');
    fs.mkdirSync(path.join(dataDir, dir), { recursive: true });
    const files: RenditionFile[] = names.map((name) => {
      // A PDF comment after %%EOF makes each issue's file its own bytes (readers ignore it), as real issues are.
      const bytes = Buffer.concat([fs.readFileSync(path.join(source, name)), Buffer.from(name.endsWith('.pdf') ? `\n% bench issue ${issueId}\n` : '')]);
      fs.writeFileSync(path.join(dataDir, dir, name), bytes);
      renditionBytes += bytes.length;
      return { name, bytes: bytes.length, sha256: crypto.createHash('sha256').update(bytes).digest('hex'), pages: null };
    });
    store.renditions.insert({ issueId, jobId: null, dir, pages: 52, planRevision: 1, findings: [], toc: [], files }, now);
  }
  const dbBytes = fs.statSync(store.file).size;
  store.close();
  return { dbBytes, renditionBytes, photoBytes: photos.bytes + orphans.bytes };
}

/** Runs a bantin command under /usr/bin/time; returns wall seconds and max RSS in MB. */
function timed(args: string[], env: NodeJS.ProcessEnv): { seconds: number; rssMb: number; load: string } {
  const r = spawnSync('/usr/bin/time', ['-f', 'TIME %e %M', process.execPath, 'bin/bantin.mjs', ...args], { env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`bantin ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  const m = /TIME ([\d.]+) (\d+)/.exec(r.stderr);
  if (!m) throw new Error(`no timing in: ${r.stderr}`);
  return { seconds: Number(m[1]), rssMb: Number(m[2]) / 1024, load: os.loadavg().map((l) => l.toFixed(1)).join(' / ') };
}

const source = sourceRendition();
const { dbBytes, renditionBytes, photoBytes } = await seedDataDir(source);
log(`data dir: database ${(dbBytes / 1e6).toFixed(0)} MB, renditions ${(renditionBytes / 1e6).toFixed(0)} MB, photos ${(photoBytes / 1e6).toFixed(0)} MB`);
const archive = path.join(work, 'backup.tar.gz');
const env = { ...process.env, BANTIN_DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
const prune = PHOTOS ? timed(['media', 'prune'], env) : undefined;
const keptPhotos = PHOTOS ? fs.readdirSync(path.join(dataDir, 'media'), { recursive: true }).filter((p) => String(p).endsWith('.jpg')).length : 0;
const dataBytes = dbBytes + renditionBytes + photoBytes;
const backup = timed(['backup', archive], env);
const archiveBytes = fs.statSync(archive).size;
const restored = path.join(work, 'restored');
const restore = timed(['restore', archive, '--data', restored], env);
const restoredFiles = fs.readdirSync(restored, { recursive: true }).length;
fs.rmSync(work, { recursive: true, force: true });

const mb = (b: number) => `${(b / 1e6).toFixed(0)} MB`;
process.stdout.write(
  [
    `${ARTICLES} articles, ${ISSUES} issues: database ${mb(dbBytes)}, renditions ${mb(renditionBytes)} (${ISSUES * 3} files), ` +
      `photos ${mb(photoBytes)} (${PHOTOS} used + ${ORPHANS} unused), ${os.cpus().length} cores`,
    '',
    '| command | wall | result | max RSS | load average (1/5/15 min) after |',
    '|---|---|---|---|---|',
    ...(prune ? [`| \`bantin media prune\` | ${prune.seconds.toFixed(1)} s | ${PHOTOS + ORPHANS} → ${keptPhotos} photos in media/ | ${prune.rssMb.toFixed(0)} MB | ${prune.load} |`] : []),
    `| \`bantin backup\` | ${backup.seconds.toFixed(1)} s | ${mb(dataBytes)} (before the sweep) → ${mb(archiveBytes)} archive | ${backup.rssMb.toFixed(0)} MB | ${backup.load} |`,
    `| \`bantin restore --data <new dir>\` (every sha256 + integrity_check) | ${restore.seconds.toFixed(1)} s | ${restoredFiles} paths restored | ${restore.rssMb.toFixed(0)} MB | ${restore.load} |`,
    '',
  ].join('\n'),
);
