/**
 * The text of a file an editor wrote (an article, issue.yaml, bulletin.yaml). DESIGN.md: "detect and
 * convert; never silently drop or mangle a character". A file saved in Windows-1258, TCVN3 or VNI (Notepad's
 * "ANSI" on a Vietnamese Windows) is not UTF-8: read as UTF-8, every Vietnamese letter would print as
 * U+FFFD. Such bytes go through the intake's detection, and the build says which encoding it assumed.
 */
import { detectBytes } from '../text/detect.ts';
import { decodeUnicodeBytes, isUnicodeBytes } from '../text/encodings/index.ts';
import type { Finding } from './model.ts';

export interface SourceText {
  text: string;
  /** The legacy-encoding warning, when the bytes were not UTF-8 */
  finding?: Finding;
}

/** `name` is how the warning names the file; `fix` tells the editor what to check. */
export function decodeSourceText(bytes: Uint8Array, name: string, fix: string, file?: string): SourceText {
  if (isUnicodeBytes(bytes)) return { text: decodeUnicodeBytes(bytes) };
  const detected = detectBytes(bytes);
  return {
    text: detected.text,
    finding: {
      severity: 'warning',
      code: 'legacy-encoding',
      message: `${name} is not UTF-8; it was read as ${detected.encoding} (${detected.confidence} confidence)`,
      fix,
      ...(file === undefined ? {} : { file }),
    },
  };
}
