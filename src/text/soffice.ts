/**
 * Optional .doc → .docx conversion with LibreOffice, used only when `soffice` is installed. The caller
 * (CLI, web) looks it up once and passes the converter to importDocument.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import { accessSync, constants } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { BadInputError } from '../domain/errors.ts';

const run = promisify(execFile);

/** Path of `soffice` (or `libreoffice`) on PATH, or undefined. */
export function findSoffice(env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    for (const name of ['soffice', 'libreoffice']) {
      const candidate = path.join(dir, name);
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not in this PATH entry; keep looking
      }
    }
  }
  return undefined;
}

/** A converter for ImportOptions.convertDoc that runs `soffice --headless --convert-to docx` in a temp dir. */
export function sofficeConverter(bin: string, timeoutMs = 120_000): (bytes: Uint8Array, fileName: string) => Promise<Uint8Array> {
  return async (bytes, fileName) => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'bantin-doc-'));
    try {
      const input = path.join(dir, 'input.doc');
      await fs.writeFile(input, bytes);
      await run(bin, ['--headless', '--norestore', `-env:UserInstallation=file://${dir}/profile`, '--convert-to', 'docx', '--outdir', dir, input], { timeout: timeoutMs });
      return await fs.readFile(path.join(dir, 'input.docx'));
    } catch (err) {
      throw new BadInputError(`LibreOffice could not convert the .doc: ${err instanceof Error ? err.message : String(err)}`, { file: fileName, expected: 'a .docx (save the file as .docx in Word)', cause: err });
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  };
}
