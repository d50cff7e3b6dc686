/**
 * Turns a refused action into what the form shows: one Vietnamese sentence on top, a message under each
 * offending field, and the HTTP status (4xx) the page is sent with. The workflow speaks English to the
 * API and logs; this is the one place where its validation findings get Vietnamese words.
 */
import { isAppError, type AppError, type Problem } from '../../domain/errors.ts';

export interface FormErrors {
  status: number;
  formError: string;
  /** field name → Vietnamese message, for {{fieldError errors "title"}} */
  errors: Record<string, string>;
  errorList: string[];
}

export const FIELD_LABELS_VI: Readonly<Record<string, string>> = {
  username: 'Tên đăng nhập',
  password: 'Mật khẩu',
  newPassword: 'Mật khẩu mới',
  currentPassword: 'Mật khẩu hiện tại',
  passwordConfirm: 'Nhập lại mật khẩu',
  displayName: 'Họ và tên',
  role: 'Vai trò',
  unitId: 'Đơn vị',
  parentId: 'Đơn vị cấp trên',
  into: 'Đơn vị nhận sáp nhập',
  name: 'Tên',
  kind: 'Loại đơn vị',
  title: 'Tiêu đề',
  subtitle: 'Tiêu đề phụ',
  lead: 'Sa-pô',
  author: 'Tác giả',
  bodyHtml: 'Nội dung',
  sectionId: 'Chuyên mục',
  file: 'Tệp bài viết',
  photos: 'Ảnh',
  reason: 'Lý do',
  body: 'Nội dung',
  dueDate: 'Hạn xử lý',
  userId: 'Biên tập viên',
  version: 'Phiên bản',
  position: 'Thứ tự',
  from: 'Từ ngày',
  to: 'Đến ngày',
  q: 'Từ khóa',
  licence: 'Giấy phép',
  publisher: 'Cơ quan xuất bản',
  address: 'Địa chỉ',
  responsible: 'Người chịu trách nhiệm',
  frequency: 'Kỳ hạn',
  printShop: 'Nơi in',
  number: 'Số',
  date: 'Ngày phát hành',
  printRun: 'Số lượng in',
  layout: 'Mẫu trình bày',
  trim: 'Khổ',
  expiresAt: 'Hiệu lực đến',
  email: 'Thư điện tử',
  defaultTrim: 'Khổ mặc định',
  legalProfile: 'Giới hạn pháp lý',
};

/** zod / workflow English messages → Vietnamese; unknown messages get a neutral wording. */
export function translateProblem(message: string): string {
  const m = message.toLowerCase();
  const atLeast = /(?:>=|at least )\s*(\d+)/.exec(m);
  if (m.includes('too small') || m.includes('at least')) {
    if (atLeast && atLeast[1] !== '1') return `cần ít nhất ${atLeast[1]} ký tự`;
    return 'không được để trống';
  }
  if (m.includes('too big') || m.includes('at most')) {
    const n = /(?:<=|at most )\s*(\d+)/.exec(m);
    return n ? `quá dài (tối đa ${n[1]} ký tự)` : 'quá dài';
  }
  if (m.includes('required') || m.includes('expected string, received undefined')) return 'chưa được nhập';
  if (m.includes('letters, digits')) return 'chỉ được gồm chữ, số và các dấu . _ @ -';
  if (m.includes('date')) return 'phải là một ngày hợp lệ';
  if (m.includes('invalid option') || m.includes('expected one of')) return 'không nằm trong danh sách cho phép';
  if (m.includes('do not match')) return 'không khớp';
  if (m.includes('e-mail address')) return 'phải là một địa chỉ thư điện tử, ví dụ ten@donvi.vn';
  return 'không hợp lệ';
}

function fieldOf(p: Problem): string {
  return (p.field ?? '').split('.')[0] ?? '';
}

function describe(err: AppError): string {
  switch (err.code) {
    case 'bad_input':
      return 'Dữ liệu nhập chưa hợp lệ. Vui lòng sửa các mục được đánh dấu.';
    case 'too_large':
      return `${err.file ? `Tệp ${err.file}` : 'Tệp tải lên'} quá lớn.`;
    case 'unsupported_type':
      return `${err.file ? `Tệp ${err.file}: loại tệp` : 'Loại tệp'} không được hỗ trợ. Hãy gửi tệp .docx, .txt, .html hoặc ảnh JPEG/PNG.`;
    case 'not_authenticated':
      return 'Bạn cần đăng nhập.';
    case 'forbidden':
      return 'Bạn không có quyền thực hiện thao tác này.';
    case 'not_found':
      return 'Không tìm thấy dữ liệu yêu cầu.';
    case 'conflict':
      return 'Dữ liệu đã bị người khác thay đổi hoặc đã tồn tại.';
    default:
      return 'Không thể thực hiện thao tác trong tình trạng hiện tại.';
  }
}

/** True when the message is already written for people in Vietnamese (has Vietnamese letters). */
function looksVietnamese(text: string): boolean {
  return /[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹáàãéèíìóòõúùýÁÀẢÃẠĂÂĐÊÔƠƯ]/i.test(text);
}

export function formErrorsFrom(err: unknown): FormErrors | undefined {
  if (!isAppError(err) || err.httpStatus >= 500) return undefined;
  const errors: Record<string, string> = {};
  const errorList: string[] = [];
  const own = err.userMessage !== err.message && looksVietnamese(err.userMessage) ? err.userMessage : undefined;
  const add = (field: string, text: string) => {
    errors[field] ??= text;
    errorList.push(`${FIELD_LABELS_VI[field] ?? field}: ${text}`);
  };
  if (err.problems.length > 0) {
    // A validation report (parseBody): its summary names English fields, so the per-field list replaces it.
    for (const p of err.problems) {
      const field = fieldOf(p);
      if (field) add(field, looksVietnamese(p.message) ? p.message : translateProblem(p.message));
    }
    return { status: err.httpStatus, formError: describe(err), errors, errorList };
  }
  // One finding about one field (a refused file, a wrong password): its own Vietnamese sentence says it best.
  if (err.field) errors[err.field.split('.')[0] ?? err.field] = own ?? translateProblem(err.message);
  return { status: err.httpStatus, formError: own ?? describe(err), errors, errorList };
}
