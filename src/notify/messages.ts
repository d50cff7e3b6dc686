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
  /** Set on a reissue (version > 1): which version and why it was made */
  correction?: { version: number; reason: string | null };
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

/** "(bản sửa lần 2: lý do …)" — what a reader told about an earlier version needs to know. */
function correctionText(c: NonNullable<IssueFacts['correction']>): string {
  return `bản đã sửa, phiên bản ${c.version}${c.reason ? `; lý do: ${c.reason}` : ''}`;
}

/** To a reader who was told about an earlier version of the same number. */
export function issueCorrectedNotice(i: IssueFacts & { correction: NonNullable<IssueFacts['correction']> }): string {
  return nfc(`${issueTitle(i)} đã phát hành lại (${correctionText(i.correction)}). Vui lòng dùng bản này thay cho bản trước.`);
}

function paragraphsToHtml(paragraphs: string[], link: string): string {
  return paragraphs.map((p) => `<p>${escapeHtml(p).replace(escapeHtml(link), `<a href="${escapeHtml(link)}">${escapeHtml(link)}</a>`).replace(/\n/g, '<br>')}</p>`).join('\n');
}

/** `corrected`: the reader was told about an earlier version of this number; the mail says this one replaces it. */
export function issuePublishedMail(i: IssueFacts, recipient: { displayName: string; unitName: string | null }, link: string, corrected = false): MailText {
  const title = issueTitle(i);
  const facts = [`phát hành ${formatDateLongVi(i.date)}`, ...(i.pages ? [`${i.pages} trang`] : [])].join(', ');
  const fix = corrected && i.correction ? i.correction : undefined;
  const paragraphs = [
    `Kính gửi ${recipient.displayName},`,
    fix
      ? `${title} (${facts}) đã được phát hành lại${recipient.unitName ? ` cho ${recipient.unitName}` : ''} (${correctionText(fix)}). Vui lòng dùng bản này thay cho bản trước.`
      : `${title} (${facts}) đã được phát hành${recipient.unitName ? ` cho ${recipient.unitName}` : ''}.`,
    `Đọc trực tuyến và tải về: ${link}`,
    ...(i.toc.length ? [`Mục lục:\n${i.toc.map((t) => `- ${t.title} (${t.section}), trang ${t.page}`).join('\n')}`] : []),
    'Tài liệu lưu hành nội bộ.',
    FOOTER,
  ];
  return { subject: nfc(fix ? `${title} – bản đã sửa` : `${title} đã phát hành`), text: nfc(paragraphs.join('\n\n')), html: nfc(paragraphsToHtml(paragraphs, link)) };
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
