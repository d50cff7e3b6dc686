import type { Role } from './roles.ts';

/** A person (or a unit account) as every layer sees it; the password hash never leaves the store. */
export interface User {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  unitId: number | null;
  disabled: boolean;
  createdAt: string;
}

/** Who is acting: what the web layer puts on the request and workflow functions receive first. */
export interface Actor {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  unitId: number | null;
}
