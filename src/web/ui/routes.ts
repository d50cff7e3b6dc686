/**
 * The screens as one table: method, path, who may open it, handler. Access is checked in one place
 * (index.ts): 'public' pages work signed out (set-up, login); 'signed-in' needs any account; an Action
 * needs a role the permission table allows. Workflow services check again — the table only keeps
 * people from reaching forms they could never submit.
 */
import type { Action } from '../../domain/roles.ts';
import type { PublicPage, SignedInPage } from './page.ts';

type Method = 'get' | 'post';

export type UiRoute =
  | { method: Method; path: string; access: 'public'; upload?: false; handler: (p: PublicPage) => Promise<void> | void }
  | { method: Method; path: string; access: 'signed-in' | Action; upload?: boolean; handler: (p: SignedInPage) => Promise<void> | void };
