/**
 * NukeViet Remote API credentials (api.php): `hashsecret` is bcrypt of `<secret>_<timestamp>`, checked
 * with PHP's password_verify (4.5), or md5 of the same string (4.6). The timestamp must be within
 * 5 seconds of the portal's clock, else it answers code 0020.
 */
import crypto from 'node:crypto';
import bcrypt from 'bcryptjs';

export type NukeVietVersion = '4.5' | '4.6';

export function nukevietHashSecret(secret: string, timestamp: number, version: NukeVietVersion): string {
  const plain = `${secret}_${timestamp}`;
  if (version === '4.6') return crypto.createHash('md5').update(plain).digest('hex');
  // PHP writes bcrypt hashes as $2y$; bcryptjs writes $2b$ (the same algorithm). Send PHP's own prefix
  // so older PHP builds that predate $2b$ accept it too. Cost 10 = PHP's password_hash default.
  return bcrypt.hashSync(plain, 10).replace(/^\$2b\$/, '$2y$');
}

export function verifyNukevietHashSecret(secret: string, timestamp: number, hash: string, version: NukeVietVersion): boolean {
  const plain = `${secret}_${timestamp}`;
  if (version === '4.6') {
    const expected = Buffer.from(crypto.createHash('md5').update(plain).digest('hex'));
    const got = Buffer.from(hash);
    return got.length === expected.length && crypto.timingSafeEqual(got, expected);
  }
  return /^\$2[aby]\$/.test(hash) && bcrypt.compareSync(plain, hash);
}
