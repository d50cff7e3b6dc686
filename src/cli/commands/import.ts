/**
 * `bantin import <file.docx|.txt|.html> [--encoding auto|unicode|tcvn3|vni|viqr|cp1258|viscii|vps] --out <dir>
 * [--json] [--force]`: writes article.md + images/ (atomically) and reports what was converted.
 * Exit 0 = imported (warnings included, they are in the report); bad input → BadInputError → exit 2 with
 * nothing written.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { BadInputError, TooLargeError } from '../../domain/errors.ts';
import { parseCommandArgs } from '../args.ts';
import type { Command } from '../run.ts';
import { parseEncodingChoice } from '../../text/encodings/index.ts';
import { DEFAULT_MAX_INPUT_BYTES, importDocument } from '../../text/import.ts';
import { formatReport } from '../../text/report.ts';
import { findJpegtran } from '../../text/jpegtran.ts';
import { findSoffice, sofficeConverter } from '../../text/soffice.ts';
import { checkOutputDir, writeArticleDir } from '../../text/write-article.ts';

const USAGE = 'import <file.docx|.txt|.html> [--encoding auto|unicode|tcvn3|vni|viqr|cp1258|viscii|vps] --out <dir> [--json] [--force] [--max-image-mb <n>]';

function positiveNumber(value: string | undefined, field: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new BadInputError(`invalid value "${value}"`, { field, expected: 'a positive number' });
  return n;
}

/** Reads pictures an HTML page links to, only from inside the page's own folder. */
function siblingReader(file: string): (relative: string) => Promise<Uint8Array | undefined> {
  const base = path.dirname(path.resolve(file));
  return async (relative) => {
    const target = path.resolve(base, relative);
    if (path.isAbsolute(relative) || !target.startsWith(base + path.sep)) return undefined;
    try {
      return await fs.readFile(target);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'EISDIR') return undefined;
      throw err;
    }
  };
}

const importCommand: Command = async (ctx) => {
  const { values, positionals } = parseCommandArgs(
    ctx.argv,
    {
      encoding: { type: 'string' },
      out: { type: 'string', short: 'o' },
      json: { type: 'boolean' },
      force: { type: 'boolean' },
      'max-image-mb': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    USAGE,
  );
  if (values.help) {
    ctx.stdout.write(`usage: bantin ${USAGE}\n`);
    return 0;
  }
  const [file, ...extra] = positionals;
  if (!file || extra.length > 0) throw new BadInputError(`expected exactly one input file\nusage: bantin ${USAGE}`);
  if (!values.out) throw new BadInputError(`--out <dir> is required\nusage: bantin ${USAGE}`, { field: '--out' });
  const encoding = parseEncodingChoice(values.encoding);
  const maxImageMb = positiveNumber(values['max-image-mb'], '--max-image-mb');

  let size: number;
  try {
    const st = await fs.stat(file);
    if (!st.isFile()) throw new BadInputError('not a file', { file, expected: 'a .docx, .txt or .html file' });
    size = st.size;
  } catch (err) {
    if (err instanceof BadInputError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new BadInputError(code === 'ENOENT' ? 'file not found' : `cannot read the file (${code ?? String(err)})`, { file, cause: err });
  }
  // Refuse before reading: a 200 MB photo renamed .docx must not be loaded into memory.
  if (size > DEFAULT_MAX_INPUT_BYTES) {
    throw new TooLargeError(`the file is ${Math.ceil(size / 1048576)} MiB`, { file, expected: `at most ${DEFAULT_MAX_INPUT_BYTES / 1048576} MiB` });
  }
  await checkOutputDir(values.out, { force: values.force });

  const bytes = await fs.readFile(file);
  const soffice = findSoffice(ctx.env);
  const jpegtran = findJpegtran(ctx.env);
  const article = await importDocument(bytes, file, {
    encoding,
    ...(maxImageMb ? { maxImageBytes: Math.floor(maxImageMb * 1048576) } : {}),
    ...(soffice ? { convertDoc: sofficeConverter(soffice) } : {}),
    ...(jpegtran ? { jpegtran } : {}),
    readRelated: siblingReader(file),
  });
  const written = await writeArticleDir(values.out, article, { force: values.force });

  if (values.json) {
    const { images, report, bodyHtml: _body, ...meta } = article;
    ctx.stdout.write(JSON.stringify({ ok: true, out: path.resolve(values.out), files: written, ...meta, images: images.map(({ bytes: _b, ...i }) => i), report }, null, 2) + '\n');
  } else {
    ctx.stdout.write(formatReport(article.report, path.join(values.out, 'article.md')) + '\n');
  }
  return 0;
};
export default importCommand;
