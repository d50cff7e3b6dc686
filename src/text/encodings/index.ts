/**
 * One entry point for the legacy Vietnamese encodings bantin reads. `toUnicode` converts text that was
 * already turned into a string the legacy way (e.g. Word's reading of a .VnTime run); `decodeBytes`
 * converts raw file bytes. Both return NFC.
 */
import { BadInputError } from '../../domain/errors.ts';
import { decodeCp1258 } from './cp1258.ts';
import { decodeTcvn3, decodeTcvn3FontText } from './tcvn3.ts';
import { decodeViqr } from './viqr.ts';
import { decodeVni, decodeVniText } from './vni.ts';
import { VISCII } from './viscii.ts';
import { VPS } from './vps.ts';

export const ENCODINGS = ['unicode', 'tcvn3', 'vni', 'viqr', 'cp1258', 'viscii', 'vps'] as const;
export type Encoding = (typeof ENCODINGS)[number];
/** What the caller may ask for: a concrete encoding or detection. */
export type EncodingChoice = Encoding | 'auto';

export function parseEncodingChoice(value: string | undefined, field = '--encoding'): EncodingChoice {
  const v = (value ?? 'auto').toLowerCase();
  if (v === 'auto' || (ENCODINGS as readonly string[]).includes(v)) return v as EncodingChoice;
  throw new BadInputError(`unknown encoding "${value}"`, { field, expected: `one of auto, ${ENCODINGS.join(', ')}` });
}

/**
 * Text in a legacy encoding, as a JS string whose characters stand for the legacy bytes (the way Word and
 * browsers show such text: "ViÖt Nam" for TCVN3, "Vieät Nam" for VNI, "Vie^.t Nam" for VIQR) → NFC Unicode.
 * Characters that cannot be a legacy byte are kept as they are, so nothing is dropped.
 */
export function toUnicode(text: string, encoding: Encoding): string {
  switch (encoding) {
    case 'unicode':
      return text.normalize('NFC');
    case 'viqr':
      return decodeViqr(text);
    case 'vni':
      return decodeVniText(text);
    case 'tcvn3':
      // Text (not bytes): Windows punctuation such as “ ” – stays punctuation, as in the .VnTime fonts.
      return decodeTcvn3FontText(text, false);
    case 'cp1258':
      // Windows-1258 shares 0x80–0x9F with Windows-1252, so only Latin-1 characters change meaning.
      return text.replace(/[\u0080-\u00ff]+/g, (run) => decodeCp1258(Uint8Array.from(run, (c) => c.charCodeAt(0)))).normalize('NFC');
    case 'viscii':
      return VISCII.decodeFontText(text);
    case 'vps':
      return VPS.decodeFontText(text);
  }
}

/** Raw bytes in `encoding` → NFC Unicode. `unicode` means UTF-8 (a BOM is dropped) or UTF-16 with a BOM. */
export function decodeBytes(bytes: Uint8Array, encoding: Encoding): string {
  switch (encoding) {
    case 'unicode':
      return decodeUnicodeBytes(bytes).normalize('NFC');
    case 'tcvn3':
      return decodeTcvn3(bytes);
    case 'vni':
      return decodeVni(bytes);
    case 'cp1258':
      return decodeCp1258(bytes);
    case 'viqr':
      return decodeViqr(decodeUnicodeBytes(bytes));
    case 'viscii':
      return VISCII.decode(bytes);
    case 'vps':
      return VPS.decode(bytes);
  }
}

/** UTF-8 / UTF-16 by BOM; invalid UTF-8 sequences become U+FFFD (callers detect that case first). */
export function decodeUnicodeBytes(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  return new TextDecoder('utf-8', { ignoreBOM: false }).decode(bytes);
}

/** True when the bytes are valid UTF-8 (or carry a UTF-16 BOM). */
export function isUnicodeBytes(bytes: Uint8Array): boolean {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) return true;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    // Not UTF-8: the caller falls back to the 8-bit encodings; the failure itself is the answer.
    return false;
  }
}
