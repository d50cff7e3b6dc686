/** Users: create, role and unit, e-mail address, reset password, disable (admin). */
import { ROLES, ROLE_LABELS_VI } from '../../../domain/roles.ts';
import { NotFoundError, BadInputError } from '../../../domain/errors.ts';
import { formValues, postedField, routeId, type SignedInPage } from '../page.ts';
import type { UiRoute } from '../routes.ts';
import { loadLookups, unitOptions } from '../lookups.ts';

const ROLE_OPTIONS = ROLES.map((value) => ({ value, label: ROLE_LABELS_VI[value] }));

/** A positive integer id from the route, or "not found". */
function idParam(p: SignedInPage, what: string): number {
  const id = routeId(p.req.params.id);
  if (id === null) throw new NotFoundError(`no such ${what}`, { userMessage: 'Không tìm thấy.' });
  return id;
}

function usersView(p: SignedInPage, values: Record<string, string> = {}) {
  const l = loadLookups(p);
  const emails = p.deps.services.emailAddresses.all(p.actor);
  const users = p.deps.services.users.list(p.actor).map((u) => ({ ...u, unitName: l.unitName(u.unitId), email: emails.get(u.id) ?? '' }));
  // Most new accounts are unit correspondents; "admin" must be a deliberate choice, never the default.
  return { title: 'Người dùng', users, values: { role: 'contributor', ...values }, roleOptions: ROLE_OPTIONS, unitOptions: unitOptions(l.units.filter((u) => u.validTo === null)) };
}

async function createUser(p: SignedInPage): Promise<void> {
  const values = formValues(p.req);
  try {
    await p.deps.services.users.create(p.actor, { username: values.username, password: postedField(p.req, 'password'), displayName: values.displayName, role: values.role, unitId: values.unitId });
  } catch (err) {
    p.refused(err, 'users', usersView(p, values));
    return;
  }
  p.redirect('/users', { kind: 'ok', text: `Đã tạo tài khoản ${values.username}.` });
}

function userView(p: SignedInPage, id: number, values?: Record<string, string>) {
  const l = loadLookups(p);
  const user = p.deps.services.users.get(p.actor, id);
  const email = p.deps.services.emailAddresses.get(p.actor, id).email;
  return {
    title: `Người dùng ${user.username}`,
    target: user,
    email,
    // A refused form keeps what was typed; the other forms show what is stored.
    values: { displayName: user.displayName, role: user.role, unitId: user.unitId === null ? '' : String(user.unitId), email: email ?? '', ...values },
    roleOptions: ROLE_OPTIONS,
    unitOptions: unitOptions(l.units),
  };
}

async function updateUser(p: SignedInPage): Promise<void> {
  const id = idParam(p, 'user');
  const values = formValues(p.req);
  const change: Record<string, unknown> = {};
  if (values.action === 'profile') Object.assign(change, { displayName: values.displayName, role: values.role, unitId: values.unitId });
  else if (values.action === 'disable') change.disabled = true;
  else if (values.action === 'enable') change.disabled = false;
  else if (values.action === 'email') {
    let saved: string | null;
    try {
      saved = p.deps.services.emailAddresses.set(p.actor, id, { email: values.clear === '1' ? '' : (values.email ?? '') }).email;
    } catch (err) {
      p.refused(err, 'user', userView(p, id, values));
      return;
    }
    p.redirect(`/users/${id}`, { kind: 'ok', text: saved ? `Đã lưu địa chỉ thư điện tử ${saved}.` : 'Đã xóa địa chỉ thư điện tử.' });
    return;
  } else if (values.action === 'password') {
    if (postedField(p.req, 'password') !== postedField(p.req, 'passwordConfirm')) {
      p.refused(new BadInputError('passwords do not match', { problems: [{ field: 'passwordConfirm', message: 'Hai mật khẩu không khớp.' }] }), 'user', userView(p, id, values));
      return;
    }
    change.password = postedField(p.req, 'password');
  } else throw new BadInputError('unknown action', { field: 'action' });
  try {
    await p.deps.services.users.update(p.actor, id, change);
  } catch (err) {
    p.refused(err, 'user', userView(p, id, values));
    return;
  }
  const texts: Record<string, string> = {
    profile: 'Đã lưu thông tin và vai trò. Các phiên đăng nhập cũ của người này đã kết thúc.',
    disable: 'Đã khóa tài khoản.',
    enable: 'Đã mở khóa tài khoản.',
    password: 'Đã đặt lại mật khẩu. Người dùng cần đăng nhập lại bằng mật khẩu mới.',
  };
  p.redirect(`/users/${id}`, { kind: 'ok', text: texts[values.action ?? ''] ?? 'Đã lưu.' });
}

export const userRoutes: UiRoute[] = [
  { method: 'get', path: '/users', access: 'user.manage', handler: (p) => p.render('users', usersView(p)) },
  { method: 'post', path: '/users', access: 'user.manage', handler: createUser },
  { method: 'get', path: '/users/:id', access: 'user.manage', handler: (p) => p.render('user', userView(p, idParam(p, 'user'))) },
  { method: 'post', path: '/users/:id', access: 'user.manage', handler: updateUser },
];
