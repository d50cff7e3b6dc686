/**
 * The bulletin profile's defaults (issue #6): a default trim that new issues get, and the legal limits
 * (max trim, max pages) that typesetting's preflight checks — data an admin can change when the law does.
 * Real HTTP, a real SQLite file and, for the preflight part, real Chromium in the in-process worker.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { legalProfileFor, PRESS_LAW_BULLETIN } from '../../src/domain/legal-profile.ts';
import { BULLETIN, clientFor, login, PASSWORD, setupAdmin, startTestServer, userWithRole, waitForJob, type TestServer } from './helpers.ts';
import { csrfOf, setUpAdmin, signIn, startUiServer, Visitor, type UiServer } from './ui-harness.ts';

interface IssueBody {
  id: number;
  trim: { widthMm: number; heightMm: number };
  preflight: { errors: number; findings: { severity: string; code: string; message: string }[] } | null;
}

let srv: TestServer;
let admin: string;
let editor: string;
let chief: string;
let articleId: number;

beforeAll(async () => {
  srv = await startTestServer();
  admin = await setupAdmin(srv.api);
  editor = (await userWithRole(srv.api, admin, 'bientap', 'editor')).token;
  chief = (await userWithRole(srv.api, admin, 'tongbientap', 'editor_in_chief')).token;
  const a = await srv.api<{ id: number }>('POST', '/articles', { token: editor, json: { title: 'Sinh hoạt chi bộ định kỳ', bodyHtml: '<p>Chi bộ ấp Trường Đông duy trì sinh hoạt đúng kỳ, nội dung thiết thực.</p>' } });
  articleId = a.body.id;
  for (const to of ['in_review', 'approved']) expect((await srv.api('POST', `/articles/${articleId}/transition`, { token: editor, json: { to } })).status).toBe(200);
});

afterAll(async () => {
  await srv?.close({ removeData: true });
});

describe('legal limits as data', () => {
  it('uses the Press Law profile unless the bulletin sets other limits, which get their own id', () => {
    expect(legalProfileFor(undefined)).toBe(PRESS_LAW_BULLETIN);
    expect(legalProfileFor({ maxWidthMm: 190, maxHeightMm: 270, maxPages: 64 })).toBe(PRESS_LAW_BULLETIN);
    const changed = legalProfileFor({ maxWidthMm: 210, maxHeightMm: 297, maxPages: 48 });
    expect(changed).toMatchObject({ maxTrimMm: { width: 210, height: 297 }, maxPages: 48, advertisingAllowed: false });
    expect(changed.id).not.toBe(PRESS_LAW_BULLETIN.id);
  });
});

describe('bulletin profile defaults over the API', () => {
  it('keeps a default trim and legal limits, and a new issue without a trim gets the default', async () => {
    const put = await srv.api('PUT', '/bulletin', { token: admin, json: { ...BULLETIN, defaultTrim: { widthMm: 170, heightMm: 240 }, legalProfile: { maxWidthMm: 190, maxHeightMm: 270, maxPages: 64 } } });
    expect(put.status).toBe(200);
    const got = await srv.api<{ defaultTrim: unknown; legalProfile: unknown }>('GET', '/bulletin', { token: chief });
    expect(got.body).toMatchObject({ defaultTrim: { widthMm: 170, heightMm: 240 }, legalProfile: { maxPages: 64 } });

    const plain = await srv.api<IssueBody>('POST', '/issues', { token: editor, json: { number: 1, date: '2027-01-15', printRun: 100 } });
    expect(plain.status).toBe(201);
    expect(plain.body.trim).toEqual({ widthMm: 170, heightMm: 240 });
    const own = await srv.api<IssueBody>('POST', '/issues', { token: editor, json: { number: 2, date: '2027-02-15', printRun: 100, trim: { width: '190mm', height: '270mm' } } });
    expect(own.body.trim).toEqual({ widthMm: 190, heightMm: 270 });
  });

  it('refuses impossible values with 400 naming the field, and keeps the stored profile', async () => {
    for (const bad of [{ defaultTrim: { widthMm: -5, heightMm: 240 } }, { legalProfile: { maxWidthMm: 190, maxHeightMm: 270, maxPages: 0 } }, { defaultTrim: { widthMm: '17cm', heightMm: 240 } }]) {
      const r = await srv.api<{ error: { code: string; message: string } }>('PUT', '/bulletin', { token: admin, json: { ...BULLETIN, ...bad } });
      expect(r.status).toBe(400);
      expect(r.body.error.message).toMatch(/defaultTrim|legalProfile/);
    }
    expect((await srv.api<{ defaultTrim: unknown }>('GET', '/bulletin', { token: admin })).body.defaultTrim).toEqual({ widthMm: 170, heightMm: 240 });
  });

  it('lets only admin and editor-in-chief change them', async () => {
    expect((await srv.api('PUT', '/bulletin', { token: editor, json: { ...BULLETIN, defaultTrim: { widthMm: 100, heightMm: 100 } } })).status).toBe(403);
  });
});

describe('preflight checks the limits the bulletin profile sets', () => {
  it('reports a trim above the profile maximum, and a typeset after the limit is raised is not served from cache', async () => {
    await srv.api('PUT', '/bulletin', { token: admin, json: { ...BULLETIN, legalProfile: { maxWidthMm: 160, maxHeightMm: 270, maxPages: 64 } } });
    const issue = await srv.api<IssueBody>('POST', '/issues', { token: editor, json: { number: 3, date: '2027-03-15', printRun: 100, trim: { widthMm: 170, heightMm: 240 } } });
    expect((await srv.api('PUT', `/issues/${issue.body.id}/plan`, { token: editor, json: { sections: [{ title: 'Gương chi bộ, đảng viên', articleIds: [articleId] }] } })).status).toBe(200);

    const first = await srv.api<{ jobId: number }>('POST', `/issues/${issue.body.id}/typeset`, { token: editor });
    const done = await waitForJob(srv.api, editor, first.body.jobId);
    expect(done, done.error).toMatchObject({ state: 'done' });
    const limited = await srv.api<IssueBody>('GET', `/issues/${issue.body.id}`, { token: editor });
    const trimError = limited.body.preflight?.findings.find((f) => f.code === 'trim-too-large');
    expect(trimError?.severity).toBe('error');
    expect(trimError?.message).toContain('160 × 270');
    const refused = await srv.api<{ error: { message: string } }>('POST', `/issues/${issue.body.id}/sign-off`, { token: chief });
    expect(refused.status).toBe(422);

    await srv.api('PUT', '/bulletin', { token: admin, json: { ...BULLETIN, legalProfile: { maxWidthMm: 190, maxHeightMm: 270, maxPages: 64 } } });
    const again = await srv.api<{ jobId: number }>('POST', `/issues/${issue.body.id}/typeset`, { token: editor });
    expect((await waitForJob(srv.api, editor, again.body.jobId)).state).toBe('done');
    const allowed = await srv.api<IssueBody>('GET', `/issues/${issue.body.id}`, { token: editor });
    expect(allowed.body.preflight?.findings.some((f) => f.code === 'trim-too-large')).toBe(false);
  });
});

describe('bulletin profile screen', () => {
  let ui: UiServer;

  beforeAll(async () => {
    ui = await startUiServer();
  });

  afterAll(async () => {
    await ui?.close();
  });

  it('saves the default trim and legal limits from the form, blank meaning the law, and shows a Vietnamese message for a bad value', async () => {
    const admin = await setUpAdmin(ui);
    const form = await admin.get('/bulletin');
    expect(form.html).toContain('Khổ mặc định của số mới');
    expect(form.html).toContain('Giới hạn pháp lý');
    const fields = {
      name: BULLETIN.name, publisher: BULLETIN.publisher, address: BULLETIN.address, responsible: BULLETIN.responsible, frequency: BULLETIN.frequency, printShop: BULLETIN.printShop,
      licenceNumber: BULLETIN.licence.number, licenceDate: BULLETIN.licence.date, licenceIssuer: BULLETIN.licence.issuer, licenceExpires: BULLETIN.licence.expires,
    };
    const saved = await admin.post('/bulletin', { _csrf: csrfOf(form.html), ...fields, trimWidth: '170', trimHeight: '240', maxWidth: '', maxHeight: '', maxPages: '' });
    expect(saved.status).toBe(303);
    const after = await admin.get('/bulletin');
    expect(after.html).toMatch(/id="trimWidth"[^>]*value="170"/);
    expect(after.html).toMatch(/id="maxPages"[^>]*value=""/);
    // The new-issue form starts with that default, so an issue made on screen gets it too.
    const api = clientFor(ui.url);
    const adminToken = await login(api, 'quantri', 'mat-khau-dai-1');
    await userWithRole(api, adminToken, 'bientap', 'editor');
    const editorVisitor = new Visitor(ui.url);
    await signIn(editorVisitor, 'bientap', PASSWORD);
    const issues = await editorVisitor.get('/issues');
    expect(issues.html).toMatch(/id="trimWidth"[^>]*value="170"/);
    expect(issues.html).toMatch(/id="trimHeight"[^>]*value="240"/);
    // No legal limits set: the form's bounds and hint are the Press Law's, as preflight's are.
    expect(issues.html).toMatch(/id="trimWidth"[^>]*max="190"/);
    expect(issues.html).toContain('Bản tin tối đa 190 × 270 mm (Luật Báo chí');

    const bad = await admin.post('/bulletin', { _csrf: csrfOf(after.html), ...fields, trimWidth: '170', trimHeight: 'hai trăm', maxWidth: '190', maxHeight: '270', maxPages: '2' });
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('Khổ mặc định');
    expect(bad.html).toContain('Giới hạn pháp lý');
    // What was typed stays in the form; what was stored did not change.
    expect(bad.html).toContain('hai trăm');
    expect((await admin.get('/bulletin')).html).toMatch(/id="trimHeight"[^>]*value="240"/);
  });
});
