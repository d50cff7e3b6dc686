/** "Tài khoản của tôi": change one's own password, sign out on every device; the bulletin profile form. */
import { BadInputError } from '../../../domain/errors.ts';
import { SESSION_COOKIE } from '../cookies.ts';
import { formNumber, formValues, postedField, type SignedInPage } from '../page.ts';
import type { UiRoute } from '../routes.ts';

async function changePassword(p: SignedInPage): Promise<void> {
  const newPassword = postedField(p.req, 'newPassword');
  try {
    if (newPassword !== postedField(p.req, 'passwordConfirm')) {
      throw new BadInputError('passwords do not match', { problems: [{ field: 'passwordConfirm', message: 'Hai mật khẩu không khớp.' }] });
    }
    await p.deps.services.auth.changeOwnPassword(p.actor, { currentPassword: postedField(p.req, 'currentPassword'), newPassword }, p.meta);
  } catch (err) {
    p.refused(err, 'account', { title: 'Tài khoản của tôi' });
    return;
  }
  // Changing the password ends every session, this one included: sign in again with the new one.
  p.res.clearCookie(SESSION_COOKIE, { path: '/' });
  p.redirect('/login', { kind: 'ok', text: 'Đã đổi mật khẩu. Hãy đăng nhập lại bằng mật khẩu mới.' });
}

function bulletinValues(p: SignedInPage): Record<string, string> {
  const b = p.deps.services.bulletin.current();
  if (!b) return {};
  return {
    name: b.name, publisher: b.publisher, address: b.address, responsible: b.responsible, frequency: b.frequency, printShop: b.printShop,
    licenceNumber: b.licence.number, licenceDate: b.licence.date, licenceIssuer: b.licence.issuer, licenceExpires: b.licence.expires,
    trimWidth: String(b.defaultTrim?.widthMm ?? ''), trimHeight: String(b.defaultTrim?.heightMm ?? ''),
    maxWidth: String(b.legalProfile?.maxWidthMm ?? ''), maxHeight: String(b.legalProfile?.maxHeightMm ?? ''), maxPages: String(b.legalProfile?.maxPages ?? ''),
  };
}

/** An optional group of numbers: all blank → not set (the defaults apply); partly filled → validated as given. */
function numberGroup<K extends string>(fields: Record<K, string | undefined>): Record<K, number | string | undefined> | undefined {
  const entries = Object.entries(fields).map(([k, v]) => [k, formNumber(v as string | undefined)] as const);
  return entries.every(([, v]) => v === undefined) ? undefined : (Object.fromEntries(entries) as Record<K, number | string | undefined>);
}

function saveBulletin(p: SignedInPage): void {
  const v = formValues(p.req);
  try {
    p.deps.services.bulletin.put(p.actor, {
      name: v.name, publisher: v.publisher, address: v.address, responsible: v.responsible, frequency: v.frequency, printShop: v.printShop,
      licence: { number: v.licenceNumber, date: v.licenceDate, issuer: v.licenceIssuer, expires: v.licenceExpires },
      defaultTrim: numberGroup({ widthMm: v.trimWidth, heightMm: v.trimHeight }),
      legalProfile: numberGroup({ maxWidthMm: v.maxWidth, maxHeightMm: v.maxHeight, maxPages: v.maxPages }),
    });
  } catch (err) {
    p.refused(err, 'bulletin', { title: 'Thông tin bản tin', values: v });
    return;
  }
  p.redirect('/bulletin', { kind: 'ok', text: 'Đã lưu thông tin bản tin và giấy phép.' });
}

export const accountRoutes: UiRoute[] = [
  { method: 'get', path: '/account', access: 'signed-in', handler: (p) => p.render('account', { title: 'Tài khoản của tôi' }) },
  { method: 'post', path: '/account/password', access: 'signed-in', handler: changePassword },
  { method: 'get', path: '/bulletin', access: 'bulletin.manage', handler: (p) => p.render('bulletin', { title: 'Thông tin bản tin', values: bulletinValues(p) }) },
  { method: 'post', path: '/bulletin', access: 'bulletin.manage', handler: saveBulletin },
];
