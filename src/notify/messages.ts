/**
 * The texts of bantin's notices (pure: facts in, Vietnamese text out). The in-app line and the e-mail
 * say the same thing; the e-mail adds the link and, for an issue, its table of contents.
 */
import { formatDateLongVi, formatMonthVi, nfc, quoteVi } from '../domain/vi-text.ts';

export interface MailText {
  subject: string;
  text: string;
  html: string;
}

export interface IssueFacts {
  id: number;
  number: number;
  date: string;
  pages: number | null;
  bulletinName: string;
  toc: { section: string; title: string; page: number }[];
}

export type ArticleDecision = 'returned' | 'approved' | 'rejected';

const FOOTER = 'Thư này được hệ thống bantin gửi tự động; vui lòng không trả lời thư này.';

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** "Bản tin Thông báo Nội bộ số 11 – Tháng 11/2026" */
export function issueTitle(i: Pick<IssueFacts, 'bulletinName' | 'number' | 'date'>): string {
  return nfc(`Bản tin ${i.bulletinName} số ${i.number} – ${formatMonthVi(i.date)}`);
}

export function issuePublishedNotice(i: IssueFacts): string {
  return nfc(`${issueTitle(i)} đã phát hành.`);
}

function paragraphsToHtml(paragraphs: string[], link: string): string {
  return paragraphs.map((p) => `<p>${escapeHtml(p).replace(escapeHtml(link), `<a href="${escapeHtml(link)}">${escapeHtml(link)}</a>`).replace(/\n/g, '<br>')}</p>`).join('\n');
}

export function issuePublishedMail(i: IssueFacts, recipient: { displayName: string; unitName: string | null }, link: string): MailText {
  const title = issueTitle(i);
  const facts = [`phát hành ${formatDateLongVi(i.date)}`, ...(i.pages ? [`${i.pages} trang`] : [])].join(', ');
  const paragraphs = [
    `Kính gửi ${recipient.displayName},`,
    `${title} (${facts}) đã được phát hành${recipient.unitName ? ` cho ${recipient.unitName}` : ''}.`,
    `Đọc trực tuyến và tải về: ${link}`,
    ...(i.toc.length ? [`Mục lục:\n${i.toc.map((t) => `- ${t.title} (${t.section}), trang ${t.page}`).join('\n')}`] : []),
    'Tài liệu lưu hành nội bộ.',
    FOOTER,
  ];
  return { subject: nfc(`${title} đã phát hành`), text: nfc(paragraphs.join('\n\n')), html: nfc(paragraphsToHtml(paragraphs, link)) };
}

const DECISION_SUBJECT: Record<ArticleDecision, (title: string) => string> = {
  returned: (t) => `Bài ${quoteVi(t)} bị trả lại`,
  approved: (t) => `Bài ${quoteVi(t)} đã được duyệt`,
  rejected: (t) => `Bài ${quoteVi(t)} không được sử dụng`,
};

export function articleDecisionMail(a: { title: string }, decision: ArticleDecision, reason: string | null, recipient: { displayName: string }, link: string): MailText {
  const subject = DECISION_SUBJECT[decision](a.title);
  const paragraphs = [
    `Kính gửi ${recipient.displayName},`,
    `${subject}.`,
    ...(reason ? [`Lý do: ${reason}`] : []),
    ...(decision === 'returned' ? ['Bạn có thể sửa bài theo góp ý và gửi lại.'] : []),
    `Xem bài: ${link}`,
    FOOTER,
  ];
  return { subject: nfc(subject), text: nfc(paragraphs.join('\n\n')), html: nfc(paragraphsToHtml(paragraphs, link)) };
}
