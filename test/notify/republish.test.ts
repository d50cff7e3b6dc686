/**
 * Publishing an issue again (issue #7) through the real app, real SQLite and a real SMTP server on
 * loopback: publishing to more units tells only the readers newly reached (in the app and by e-mail);
 * publishing to the same units again tells nobody; a reissue (new version of the same number, with a
 * reason) tells readers who knew the earlier version that this is a corrected one, and readers new to the
 * number the ordinary news — each reader once per version.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { setupAdmin, startTestServer, userWithRole, type TestServer } from '../web/helpers.ts';
import { seedSignedIssue } from '../publish/published-issue.ts';
import { startSmtpSink, type SmtpSink } from './smtp-sink.ts';

const WAIT = { timeout: 60_000, interval: 50 };
const REASON = 'Sửa tên đồng chí Bí thư Chi bộ ấp Trường Đông ở trang 3.';

let sink: SmtpSink;
let srv: TestServer;
let admin: string;
let chief: { id: number; token: string };
type Reader = { id: number; token: string; email: string };
const readers: Record<'a' | 'a2' | 'b' | 'c', Reader> = {} as Record<'a' | 'a2' | 'b' | 'c', Reader>;
const units: Record<'a' | 'b' | 'c', number> = { a: 0, b: 0, c: 0 };

async function notices(r: Reader): Promise<{ kind: string; message: string }[]> {
  const inbox = await srv.api<{ items: { kind: string; message: string }[] }>('GET', '/notifications', { token: r.token });
  return inbox.body.items.filter((n) => n.kind.startsWith('issue.')).reverse().map((n) => ({ kind: n.kind, message: n.message }));
}

/** Every issue mail queued so far, once the sender has handled them all: [to, subject] in order. */
async function issueMails(): Promise<[string, string][]> {
  const rows = await vi.waitFor(() => {
    const all = srv.running.runtime.store.mail.list({ limit: 1000 }).filter((m) => m.kind.startsWith('issue.'));
    if (all.some((m) => m.state === 'pending')) throw new Error('still sending');
    return all;
  }, WAIT);
  return rows.map((m): [string, string] => [m.to, m.subject]).sort((x, y) => x[0].localeCompare(y[0]) || x[1].localeCompare(y[1]));
}

async function publish(issueId: number, unitIds: number[]): Promise<void> {
  const r = await srv.api('POST', `/issues/${issueId}/publish`, { token: chief.token, json: { unitIds } });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
}

beforeAll(async () => {
  sink = await startSmtpSink();
  srv = await startTestServer({ config: { inProcessWorker: false, publicBaseUrl: 'https://bantin.tinhuy.vn', smtp: { url: sink.url, from: 'Ban biên tập <bantin@tinhuy.vn>' } } });
  admin = await setupAdmin(srv.api);
  for (const [key, name] of [['a', 'Đảng ủy xã Hòa Hội'], ['b', 'Chi bộ ấp Bình Minh'], ['c', 'Đảng ủy phường Long Hoa']] as const) {
    units[key] = (await srv.api<{ id: number }>('POST', '/units', { token: admin, json: { name, kind: 'commune' } })).body.id;
  }
  chief = await userWithRole(srv.api, admin, 'tongbientap', 'editor_in_chief');
  for (const [key, unit] of [['a', 'a'], ['a2', 'a'], ['b', 'b'], ['c', 'c']] as const) {
    const u = await userWithRole(srv.api, admin, `docgia-${key}`, 'reader', units[unit]);
    const email = `docgia-${key}@tayninh.vn`;
    expect((await srv.api('PUT', `/users/${u.id}/email`, { token: admin, json: { email } })).status).toBe(200);
    readers[key] = { ...u, email };
  }
}, 120_000);

afterAll(async () => {
  await srv?.close({ removeData: true });
  await sink?.close();
});

describe('publishing an issue again', () => {
  let issueId: number;
  const TITLE = 'Bản tin Thông báo Nội bộ số 10 – Tháng 10/2026';

  it('to more units tells only the readers newly reached, in the app and by e-mail', async () => {
    issueId = (await seedSignedIssue(srv.running.runtime.store, srv.dataDir, { number: 10, userId: chief.id, publish: false })).issueId;
    await publish(issueId, [units.a]);
    await publish(issueId, [units.a, units.b]);

    for (const r of [readers.a, readers.a2, readers.b]) expect(await notices(r)).toEqual([{ kind: 'issue.published', message: `${TITLE} đã phát hành.` }]);
    expect(await notices(readers.c)).toEqual([]);
    expect(await issueMails()).toEqual([
      [readers.a.email, `${TITLE} đã phát hành`],
      [readers.a2.email, `${TITLE} đã phát hành`],
      [readers.b.email, `${TITLE} đã phát hành`],
    ]);
  });

  it('to the same units again tells nobody', async () => {
    await publish(issueId, [units.a, units.b]);
    for (const r of [readers.a, readers.a2, readers.b]) expect(await notices(r)).toHaveLength(1);
    expect(await issueMails()).toHaveLength(3);
    expect(sink.received.filter((m) => m.subject.includes('số 10'))).toHaveLength(3);
  });

  it('a reissue tells earlier readers it is a corrected version (with the reason), new readers the news, each once', async () => {
    const reissued = await srv.api<{ id: number; version: number }>('POST', `/issues/${issueId}/reissue`, { token: chief.token, json: { reason: REASON } });
    expect(reissued.status, JSON.stringify(reissued.body)).toBe(201);
    const v2 = reissued.body.id;
    // The new version's rendition is signed straight in the store (typesetting is tested elsewhere).
    const store = srv.running.runtime.store;
    const signed = store.renditions.get(store.issues.get(issueId)!.signedRenditionId!)!;
    const renditionId = store.renditions.insert({ issueId: v2, jobId: null, dir: signed.dir, pages: signed.pages, planRevision: store.issues.get(v2)!.planRevision, findings: [], toc: signed.toc, files: signed.files }, new Date().toISOString());
    store.renditions.markSigned(renditionId);
    store.issues.markSignedOff(v2, renditionId, chief.id, new Date().toISOString());

    await publish(v2, [units.a, units.c]);
    await publish(v2, [units.a, units.b, units.c]);

    const corrected = `${TITLE} đã phát hành lại (bản đã sửa, phiên bản 2; lý do: ${REASON}). Vui lòng dùng bản này thay cho bản trước.`;
    for (const r of [readers.a, readers.a2, readers.b]) {
      expect(await notices(r)).toEqual([
        { kind: 'issue.published', message: `${TITLE} đã phát hành.` },
        { kind: 'issue.corrected', message: corrected },
      ]);
    }
    // Reader C never heard of number 10: the ordinary news, not a correction of something unknown.
    expect(await notices(readers.c)).toEqual([{ kind: 'issue.published', message: `${TITLE} đã phát hành.` }]);

    const mails = await issueMails();
    expect(mails).toHaveLength(7);
    expect(mails.filter(([, s]) => s === `${TITLE} – bản đã sửa`).map(([to]) => to)).toEqual([readers.a.email, readers.a2.email, readers.b.email]);
    expect(mails.filter(([to]) => to === readers.c.email)).toEqual([[readers.c.email, `${TITLE} đã phát hành`]]);
    const mailA = await vi.waitFor(() => {
      const m = sink.received.find((x) => x.to.includes(readers.a.email) && x.subject.includes('bản đã sửa'));
      if (!m) throw new Error('not received yet');
      return m;
    }, WAIT);
    expect(mailA.text).toContain(`Lý do: ${REASON}`.replace('Lý do', 'lý do'));
    expect(mailA.text).toContain('Vui lòng dùng bản này thay cho bản trước.');
    expect(mailA.text).toContain(`/archive/${v2}`);
  });
});
