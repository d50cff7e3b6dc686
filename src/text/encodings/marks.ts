/**
 * The building blocks every Vietnamese legacy table is made of: the five tone marks and the vowel bases.
 * Tables are written as (base, tone) → code rather than 134 loose literals, so a typo cannot hide.
 */

/** Tone marks in the order the legacy tables list them: grave (huyền), hook (hỏi), tilde (ngã), acute (sắc), dot below (nặng). */
export const TONES = ['\u0300', '\u0309', '\u0303', '\u0301', '\u0323'] as const;

/** The twelve vowel bases that take a tone, lower case. */
export const VOWEL_BASES = ['a', 'ă', 'â', 'e', 'ê', 'i', 'o', 'ô', 'ơ', 'u', 'ư', 'y'] as const;

/** Base letter + tone index (0..4, order of TONES) → precomposed NFC letter. */
export function withTone(base: string, tone: number): string {
  const mark = TONES[tone];
  if (mark === undefined) throw new RangeError(`tone index ${tone} out of range`);
  return (base + mark).normalize('NFC');
}

/** Builds a char → code map from a code → char table, for encoders. */
export function invert<K, V>(table: ReadonlyMap<K, V>): Map<V, K> {
  const out = new Map<V, K>();
  for (const [k, v] of table) if (!out.has(v)) out.set(v, k);
  return out;
}
