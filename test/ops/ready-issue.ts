/** An issue ready to typeset, made through the API of a running server (for the ops fault tests). */
import { expect } from 'vitest';
import { BULLETIN, userWithRole, type ApiClient } from '../web/helpers.ts';

const editors = new Map<string, { id: number; token: string }>();

/**
 * Through the API: the bulletin profile, an editor (created on first use), six approved articles planned
 * into a new issue with this number — ready to typeset (about 12 pages).
 */
export async function readyIssue(api: ApiClient, admin: string, number: number): Promise<{ issueId: number; token: string }> {
  expect((await api('PUT', '/bulletin', { token: admin, json: BULLETIN })).status).toBe(200);
  editors.set(admin, editors.get(admin) ?? (await userWithRole(api, admin, 'bientap', 'editor')));
  const editor = editors.get(admin)!;
  const articleIds: number[] = [];
  for (let i = 1; i <= 6; i += 1) {
    const bodyHtml = `<p>Số ${number}, tin ${i}: Đảng bộ xã tiếp tục thực hiện nghị quyết, nâng cao chất lượng sinh hoạt chi bộ, phát huy vai trò tiên phong của đảng viên trong phong trào thi đua ở cơ sở. </p>`.repeat(10);
    const a = await api<{ id: number }>('POST', '/articles', { token: editor.token, json: { title: `Phong trào thi đua ở cơ sở, bài ${i}`, bodyHtml, author: 'Phóng viên' } });
    expect(a.status).toBe(201);
    for (const to of ['in_review', 'approved']) expect((await api('POST', `/articles/${a.body.id}/transition`, { token: editor.token, json: { to } })).status).toBe(200);
    articleIds.push(a.body.id);
  }
  const issue = await api<{ id: number }>('POST', '/issues', { token: editor.token, json: { number, date: '2026-11-15', printRun: 3110 } });
  expect(issue.status).toBe(201);
  expect((await api('PUT', `/issues/${issue.body.id}/plan`, { token: editor.token, json: { sections: [{ title: 'Tin tức – sự kiện', articleIds }] } })).status).toBe(200);
  return { issueId: issue.body.id, token: editor.token };
}

