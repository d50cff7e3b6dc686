/**
 * Vietnamese wording of the workflow's refusal codes (sign-off, typeset, send to print, publish, plan).
 * The workflow names each reason with a stable code and an English detail; the screen shows both, so an
 * editor knows what to fix and a technician can still read the exact cause.
 */
import { isAppError } from '../../../domain/errors.ts';
import { FIELD_LABELS_VI, translateProblem } from '../form-errors.ts';

const REASONS_VI: Readonly<Record<string, string>> = {
  'already-signed-off': 'Số này đã được duyệt in.',
  'no-rendition': 'Số này chưa được dàn trang.',
  'rendition-outdated': 'Bản dàn trang đã cũ (số báo đã thay đổi sau đó): hãy dàn trang lại.',
  'preflight-errors': 'Kiểm tra trước in còn lỗi: sửa bài và dàn trang lại.',
  'article-missing': 'Có bài trong số đã bị xóa.',
  'article-not-approved': 'Có bài chưa được duyệt cho số này.',
  'print-run': 'Số lượng in phải lớn hơn 0.',
  'distribution-sum': 'Tổng số bản trong danh sách phát hành khác số lượng in.',
  'licence-expired': 'Giấy phép xuất bản đã hết hạn.',
  'not-signed-off': 'Tổng biên tập chưa duyệt in số này.',
  'no-print-shop': 'Chưa có tài khoản nhà in nào đang hoạt động.',
  'issue-frozen': 'Số này đã duyệt in, không dàn trang lại được.',
  'no-bulletin-profile': 'Chưa khai báo thông tin bản tin (giấy phép, cơ quan xuất bản…).',
  'empty-plan': 'Số này chưa có bài nào.',
  articleIds: 'Chỉ xếp được bài đã duyệt và chưa nằm trong số khác.',
};

export interface RefusalLine {
  text: string;
  detail: string;
}

/** The reasons of a 4xx refusal as lines for the page, or undefined when `err` is not one (→ rethrow). */
export function refusalLines(err: unknown): { status: number; message: string; lines: RefusalLine[] } | undefined {
  if (!isAppError(err) || err.httpStatus >= 500) return undefined;
  const lines = err.problems.map((p) => {
    const field = p.field ?? '';
    const known = REASONS_VI[field];
    if (known) return { text: known, detail: p.message };
    // A validation finding (zod): name the field in Vietnamese and translate the complaint.
    const name = field.split('.')[0] ?? field;
    return { text: `${FIELD_LABELS_VI[name] ?? name}: ${translateProblem(p.message)}`, detail: p.message };
  });
  const message = err.userMessage !== err.message ? err.userMessage : 'Không thực hiện được thao tác.';
  return { status: err.httpStatus, message, lines };
}
