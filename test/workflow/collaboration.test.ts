/**
 * Use cases called directly (as the UI and CLI do) on a real SQLite file: revisions and compare, soft
 * locks with expiry and editor-in-chief takeover, unit merges that keep article history, login throttling.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/index.ts';
import { createServices, type Services } from '../../src/workflow/index.ts';
import { toActor } from '../../src/workflow/auth.ts';
import type { Actor } from '../../src/domain/user.ts';
import type { Role } from '../../src/domain/roles.ts';

let store: Store;
let s: Services;
let now = new Date('2026-11-10T08:00:00Z');
const actors = {} as Record<'admin' | 'chief' | 'editor' | 'editor2' | 'ctvA' | 'ctvB', Actor>;
let unitA: number;
let unitB: number;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bantin-wf-'));

beforeAll(async () => {
  store = openStore(dir);
  s = createServices({ store, clock: () => now, lockTtlMinutes: 15 });
  actors.admin = toActor(await s.auth.setup({ username: 'admin', password: 'mat-khau-an-toan-1', displayName: 'Quản trị' }));
  unitA = s.units.create(actors.admin, { name: 'Đảng ủy xã Phước Vinh', kind: 'commune_committee' }).id;
  unitB = s.units.create(actors.admin, { name: 'Đảng ủy xã Phước Minh', kind: 'commune_committee' }).id;
  const mk = async (username: string, role: Role, unitId?: number) =>
    toActor(await s.users.create(actors.admin, { username, password: 'mat-khau-an-toan-1', displayName: username, role, unitId }));
  actors.chief = await mk('tbt', 'editor_in_chief');
  actors.editor = await mk('btv1', 'editor');
  actors.editor2 = await mk('btv2', 'editor');
  actors.ctvA = await mk('ctv-a', 'contributor', unitA);
  actors.ctvB = await mk('ctv-b', 'contributor', unitB);
});
afterAll(() => {
  store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('revisions', () => {
  it('keeps every save as a revision and compares any two word by word', async () => {
    const a = await s.articles.submit(actors.ctvA, { title: 'Hội nghị sơ kết', bodyHtml: '<p>Đảng ủy xã tổ chức hội nghị sơ kết.</p>' });
    await s.articles.update(actors.editor, a.id, { version: 1, bodyHtml: '<p>Đảng ủy xã Phước Vinh tổ chức hội nghị sơ kết quý III.</p>' });
    await s.articles.update(actors.editor, a.id, { version: 2, title: 'Hội nghị sơ kết quý III' });
    const revs = s.collab.revisions(actors.ctvA, a.id);
    expect(revs.map((r) => [r.version, r.kind, r.createdBy])).toEqual([[1, 'submit', actors.ctvA.id], [2, 'save', actors.editor.id], [3, 'save', actors.editor.id]]);
    const diff = s.collab.compare(actors.editor, a.id, revs[0]!.id, revs[2]!.id);
    const body = diff.fields.find((f) => f.field === 'body')!;
    expect(body.changed).toBe(true);
    expect(body.parts.filter((p) => p.added).map((p) => p.value.trim())).toEqual(['Phước Vinh', 'quý III']);
    expect(body.parts.filter((p) => p.removed)).toEqual([]);
    expect(body.parts.map((p) => p.value).join('')).toBe('Đảng ủy xã Phước Vinh tổ chức hội nghị sơ kết quý III.');
    expect(diff.fields.find((f) => f.field === 'title')!.changed).toBe(true);
    expect(diff.fields.find((f) => f.field === 'lead')!.changed).toBe(false);
  });
});

describe('soft locks', () => {
  it('shows the holder to others, refuses a second editor with 409, and expires after the timeout', async () => {
    const a = await s.articles.submit(actors.ctvA, { title: 'Tin khóa', bodyHtml: '<p>x</p>' });
    const mine = s.collab.acquire(actors.editor, a.id, {});
    expect(mine).toMatchObject({ userId: actors.editor.id, holderName: 'btv1', mine: true });
    expect(s.collab.lock(actors.editor2, a.id)).toMatchObject({ holderName: 'btv1', mine: false });
    expect(() => s.collab.acquire(actors.editor2, a.id, {})).toThrow(/being edited by btv1/);
    expect(() => s.collab.acquire(actors.editor2, a.id, { takeover: true })).toThrow(expect.objectContaining({ httpStatus: 403 }));
    now = new Date(now.getTime() + 16 * 60_000);
    expect(s.collab.lock(actors.editor2, a.id)).toBeNull();
    expect(s.collab.acquire(actors.editor2, a.id, {}).mine).toBe(true);
  });

  it("keeps the holder's unsaved text as a revision when the editor-in-chief takes over", async () => {
    const a = await s.articles.submit(actors.ctvA, { title: 'Bài đang sửa', bodyHtml: '<p>Bản gốc.</p>' });
    s.collab.acquire(actors.editor, a.id, { draft: { bodyHtml: '<p>Bản nháp chưa lưu của btv1.</p>' } });
    const taken = s.collab.acquire(actors.chief, a.id, { takeover: true });
    expect(taken).toMatchObject({ userId: actors.chief.id, mine: true, hasDraft: false });
    const revs = s.collab.revisions(actors.chief, a.id);
    const kept = revs.find((r) => r.kind === 'kept_draft');
    expect(kept).toMatchObject({ createdBy: actors.editor.id, version: 1 });
    expect(s.collab.revision(actors.chief, a.id, kept!.id).bodyHtml).toBe('<p>Bản nháp chưa lưu của btv1.</p>');
    expect(s.articles.get(actors.chief, a.id).bodyHtml).toBe('<p>Bản gốc.</p>');
    expect(store.audit.list({ action: 'article.lock_takeover', limit: 5, offset: 0 })).toHaveLength(1);
  });
});

describe('unit merge', () => {
  it("moves users and articles to the new unit, keeps who sent them, and the merged unit's contributor still sees its history", async () => {
    const old = await s.articles.submit(actors.ctvB, { title: 'Bài cũ của Phước Minh', bodyHtml: '<p>Lịch sử</p>' });
    const merged = s.units.merge(actors.admin, unitB, { into: unitA, date: '2026-11-15' });
    expect(merged.mergedFrom).toEqual([unitB]);
    const closed = s.units.get(actors.admin, unitB);
    expect(closed).toMatchObject({ validTo: '2026-11-15', replacedBy: unitA });
    const after = s.articles.get(actors.ctvA, old.id);
    expect(after).toMatchObject({ unitId: unitA, originUnitId: unitB });
    expect(store.users.get(actors.ctvB.id)?.unitId).toBe(unitA);
    expect(s.articles.list(actors.editor, { unitId: String(unitA), q: 'phuoc minh' }).items.map((x) => x.id)).toEqual([old.id]);
    expect(() => s.units.merge(actors.admin, unitB, { into: unitA })).toThrow(expect.objectContaining({ httpStatus: 422 }));
  });
});

describe('login throttling', () => {
  it('refuses a username+IP pair after 10 failures with 429, other IPs still get in', async () => {
    for (let i = 0; i < 10; i++) {
      await expect(s.auth.login({ username: 'btv2', password: 'sai-mat-khau' }, { ip: '10.0.0.9' })).rejects.toMatchObject({ httpStatus: 401 });
    }
    await expect(s.auth.login({ username: 'btv2', password: 'mat-khau-an-toan-1' }, { ip: '10.0.0.9' })).rejects.toMatchObject({ httpStatus: 429 });
    await expect(s.auth.login({ username: 'btv2', password: 'mat-khau-an-toan-1' }, { ip: '10.0.0.10' })).resolves.toMatchObject({ user: { username: 'btv2' } });
    now = new Date(now.getTime() + 16 * 60_000);
    await expect(s.auth.login({ username: 'btv2', password: 'mat-khau-an-toan-1' }, { ip: '10.0.0.9' })).resolves.toBeTruthy();
  });
});
