/**
 * Preflight findings in Vietnamese for the issue and preview screens. The typesetter writes its findings
 * in English (CLI, preflight.json, print shops' tools); editors read the screens, so each finding code
 * gets a Vietnamese sentence and fix here. Page and article are shown beside it by the view; the English
 * original stays available as a tooltip for the technical detail (counts, sizes, URLs).
 */
interface FindingLike {
  code: string;
  message: string;
  fix?: string;
}

const VI: Record<string, { text: string; fix: string }> = {
  overflow: { text: 'Nội dung bị cắt mất ở mép trang.', fix: 'Thu nhỏ hoặc chia nhỏ ảnh, bảng quá lớn để cả trang in đủ.' },
  'content-lost': { text: 'Khi dàn trang, một phần chữ của bài không được in.', fix: 'Một ảnh hoặc bảng cao hơn trang: thu nhỏ hoặc tách ra.' },
  'fallback-font': { text: 'Có ký tự mà phông chữ của bản tin không có, máy đã thay bằng phông khác.', fix: 'Thay các ký tự lạ (ký hiệu, biểu tượng cảm xúc, chữ nước ngoài) bằng chữ thường.' },
  'font-not-embedded': { text: 'Tệp PDF dùng một phông chữ không được nhúng, nhà in sẽ từ chối.', fix: 'Chỉ dùng phông chữ của mẫu trình bày.' },
  'page-size': { text: 'Khổ trang in ra không đúng khổ đã chọn.', fix: 'Kiểm tra khổ giấy và phần tràn lề trong hồ sơ số.' },
  'empty-section': { text: 'Chuyên mục không có bài nào.', fix: 'Thêm bài vào chuyên mục hoặc bỏ chuyên mục.' },
  'widow-title': { text: 'Tiêu đề nằm một mình ở cuối trang, nội dung sang trang sau.', fix: 'Rút ngắn bài trước hoặc đổi thứ tự bài.' },
  'blocked-resource': { text: 'Bài có ảnh hoặc tệp lấy từ bên ngoài; máy dàn trang đã chặn.', fix: 'Tải ảnh lên bản tin thay vì dẫn liên kết ra ngoài.' },
  'pages-added': { text: 'Đã thêm trang "Ghi chú" trước trang cuối để số trang chia hết cho 4 (đóng ghim giữa).', fix: 'Thêm hoặc bớt nội dung nếu không muốn có trang ghi chú.' },
  'trim-too-large': { text: 'Khổ bản tin lớn hơn khổ tối đa được phép (theo giới hạn pháp lý trong Thông tin bản tin).', fix: 'Chọn khổ nhỏ hơn.' },
  'too-many-pages': { text: 'Số trang vượt mức luật cho phép đối với bản tin.', fix: 'Bớt bài hoặc chuyển sang số sau.' },
  advertising: { text: 'Bài có vẻ là quảng cáo; bản tin không được đăng quảng cáo.', fix: 'Bỏ nội dung quảng cáo.' },
  'colophon-missing': { text: 'Thiếu thông tin ở phần ghi chân (ví dụ số lượng in).', fix: 'Điền đủ thông tin của số bản tin.' },
  'licence-no-expiry': { text: 'Giấy phép xuất bản chưa ghi ngày hết hạn.', fix: 'Nhập ngày hết hạn trong hồ sơ bản tin để được nhắc gia hạn.' },
  'licence-expired': { text: 'Giấy phép xuất bản đã hết hạn.', fix: 'Gia hạn giấy phép trước khi in.' },
  'licence-expiring': { text: 'Giấy phép xuất bản sắp hết hạn.', fix: 'Làm thủ tục gia hạn ngay.' },
  'toc-target-missing': { text: 'Mục lục trỏ tới một bài không có trên trang nào.', fix: 'Dàn trang lại; nếu vẫn lỗi, báo cho người quản trị.' },
  'toc-page-mismatch': { text: 'Số trang trong mục lục không khớp với trang thật của bài.', fix: 'Dàn trang lại; nếu vẫn lỗi, báo cho người quản trị.' },
  'page-underfilled': { text: 'Trang bị bỏ trống nhiều vì phần tiếp theo không vừa.', fix: 'Rút ngắn, thu nhỏ ảnh hoặc đổi thứ tự bài.' },
  'page-nearly-empty': { text: 'Trang cuối của chuyên mục chỉ có vài dòng.', fix: 'Rút ngắn bài vài dòng hoặc thêm một tin ngắn.' },
  'image-missing': { text: 'Không tải được một ảnh của bài.', fix: 'Tải lại ảnh (JPEG hoặc PNG) vào bài.' },
  'image-low-ppi': { text: 'Ảnh có độ phân giải thấp, in ra sẽ bị vỡ hạt.', fix: 'Dùng ảnh gốc lớn hơn hoặc đặt ảnh nhỏ lại.' },
};

export function findingVi(f: FindingLike): { text: string; fix: string; detail: string } {
  const vi = VI[f.code];
  return vi ? { ...vi, detail: f.message } : { text: f.message, fix: f.fix ?? '', detail: f.message };
}
