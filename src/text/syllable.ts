/**
 * Is this word a well-formed Vietnamese syllable? Used to score candidate decodings: the right decoding of
 * a Vietnamese text makes almost every word a valid syllable, a wrong one makes "ViÖt", "Vieät", "Viá»‡t".
 * Structure: onset + rhyme (medial + nucleus + coda) + at most one tone; stop codas c/ch/p/t take only
 * the acute or dot-below tone.
 */

const TONE_MARKS = /[\u0300\u0301\u0303\u0309\u0323]/gu;
const ONSETS = ['ngh', 'ng', 'nh', 'ch', 'gh', 'gi', 'kh', 'ph', 'qu', 'th', 'tr', 'b', 'c', 'd', 'đ', 'g', 'h', 'k', 'l', 'm', 'n', 'p', 'r', 's', 't', 'v', 'x', ''];

/** Vowel groups that end the syllable (they already end in a glide or cannot take a coda). */
const OPEN_NUCLEI = new Set([
  'a', 'e', 'ê', 'i', 'o', 'ô', 'ơ', 'u', 'ư', 'y',
  'ai', 'ao', 'au', 'ay', 'âu', 'ây', 'eo', 'êu', 'ia', 'iu', 'oi', 'ôi', 'ơi', 'ua', 'ui', 'uy', 'ưa', 'ưi', 'ưu',
  'oa', 'oe', 'uê', 'uơ', 'ya',
  'iêu', 'yêu', 'oai', 'oay', 'oeo', 'uây', 'uôi', 'ươi', 'ươu', 'uya', 'uyu', 'oao', 'uai', 'uay', 'uao',
]);

/** Vowel groups that may (or must) be followed by a consonant coda. */
const CLOSED_NUCLEI = new Set([
  'a', 'ă', 'â', 'e', 'ê', 'i', 'o', 'ô', 'ơ', 'u', 'ư', 'y',
  'iê', 'yê', 'uô', 'ươ', 'oa', 'oă', 'oe', 'uâ', 'uê', 'uy', 'uyê', 'oo', 'ua', 'uă',
]);
const NEEDS_CODA = new Set(['ă', 'â', 'iê', 'yê', 'uô', 'ươ', 'oă', 'uâ', 'uyê', 'oo', 'uă']);
const CODAS = ['ng', 'nh', 'ch', 'c', 'm', 'n', 'p', 't'];
const STOP_CODAS = new Set(['c', 'ch', 'p', 't']);

function splitTone(word: string): { plain: string; tones: string[] } {
  const nfd = word.normalize('NFD');
  const tones = nfd.match(TONE_MARKS) ?? [];
  return { plain: nfd.replace(TONE_MARKS, '').normalize('NFC'), tones };
}

function validRhyme(rhyme: string, tone: string | undefined): boolean {
  if (OPEN_NUCLEI.has(rhyme) && !NEEDS_CODA.has(rhyme)) return true;
  for (const coda of CODAS) {
    if (!rhyme.endsWith(coda)) continue;
    const nucleus = rhyme.slice(0, -coda.length);
    if (!CLOSED_NUCLEI.has(nucleus)) continue;
    // Stop codas carry only sắc or nặng: "việt", "học" but never "viềt".
    if (STOP_CODAS.has(coda) && tone !== undefined && tone !== '\u0301' && tone !== '\u0323') continue;
    return true;
  }
  return false;
}

/** True for a Vietnamese syllable in any case ("Việt", "NGHỊ", "gì"), false for "ViÖt", "Vieät", "xyz". */
export function isVietnameseSyllable(word: string): boolean {
  const { plain, tones } = splitTone(word.toLowerCase());
  if (tones.length > 1 || plain.length === 0 || plain.length > 7) return false;
  if (!/^[a-zđăâêôơư]+$/u.test(plain)) return false;
  const tone = tones[0];
  for (const onset of ONSETS) {
    if (!plain.startsWith(onset)) continue;
    const rhyme = plain.slice(onset.length);
    // "gi" + "a" and "g" + "ia" are both fine; "gì" has the rhyme "i" after "g".
    if (rhyme.length > 0 && validRhyme(rhyme, tone)) return true;
    if (onset === 'gi' && rhyme.length === 0) return true;
  }
  return false;
}
