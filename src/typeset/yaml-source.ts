/**
 * YAML text → plain data, with line numbers kept so every problem can say where it is
 * ("issue.yaml: line 12: sections[1].columns: ..."). Syntax errors and schema errors of one file are
 * reported together in one BadInputError (`problems`), so people fix a file in one pass.
 */
import { LineCounter, parseDocument, isNode, type Document } from 'yaml';
import type { z } from 'zod';
import { BadInputError, type Problem } from '../domain/errors.ts';
import { nfc } from '../domain/vi-text.ts';

export interface YamlSource {
  data: unknown;
  /** 1-based line of the value at `path`, or of the nearest existing parent */
  lineOf(path: ReadonlyArray<PropertyKey>): number | undefined;
}

export function parseYaml(text: string, file: string): YamlSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(nfc(text), { lineCounter, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const problems: Problem[] = doc.errors.map((e) => ({
      file,
      field: e.linePos ? `line ${e.linePos[0].line}` : undefined,
      message: `invalid YAML: ${firstLine(e.message)}`,
      expected: 'valid YAML',
    }));
    throw badFile(file, problems);
  }
  return { data: doc.toJS(), lineOf: (p) => lineOf(doc, lineCounter, p) };
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}

function lineOf(doc: Document, counter: LineCounter, path: ReadonlyArray<PropertyKey>): number | undefined {
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
    if (isNode(node) && node.range) return counter.linePos(node.range[0]).line;
  }
  return undefined;
}

/** `['sections', 1, 'articles', 0]` → `sections[1].articles[0]` */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += (out === '' ? '' : '.') + String(seg);
  }
  return out;
}

/** Turns zod issues into problems naming the key, the line and what was expected. */
export function zodProblems(error: z.ZodError, file: string, source: YamlSource | undefined, prefix: PropertyKey[] = []): Problem[] {
  const problems: Problem[] = [];
  for (const issue of error.issues) {
    const at = [...prefix, ...issue.path];
    const line = source?.lineOf(issue.path);
    const where = line === undefined ? '' : ` (line ${line})`;
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const keyLine = source?.lineOf([...issue.path, key]) ?? line;
        problems.push({
          file,
          field: formatPath([...at, key]),
          message: `unknown key "${key}"${keyLine === undefined ? '' : ` (line ${keyLine})`}`,
          expected: 'only the keys documented in DESIGN.md "The file-based issue format"',
        });
      }
      continue;
    }
    problems.push({ file, field: formatPath(at) || undefined, message: describeIssue(issue) + where, expected: expectedFor(issue) });
  }
  return problems;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  // zod 4 does not keep the input on issues; a missing key reads "… received undefined".
  if (issue.code === 'invalid_type' && /received undefined$/.test(issue.message)) return 'is required';
  return issue.message;
}

function expectedFor(issue: z.core.$ZodIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      return issue.expected;
    case 'too_small':
      if (issue.origin === 'array') return `at least ${String(issue.minimum)} item(s)`;
      if (issue.origin === 'string') return 'a non-empty text';
      return `a number ${issue.inclusive ? '≥' : '>'} ${String(issue.minimum)}`;
    case 'invalid_value':
      return `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_union':
      return undefined;
    default:
      return undefined;
  }
}

/** One BadInputError for all problems of one file; the message leads with the first problem. */
export function badFile(file: string, problems: Problem[]): BadInputError {
  const first = problems[0]!;
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem(s))` : '';
  // describeError() prefixes file and field, so the message itself carries only what is wrong.
  return new BadInputError(`${first.message}${more}`, {
    file,
    field: first.field,
    expected: first.expected,
    problems,
  });
}
