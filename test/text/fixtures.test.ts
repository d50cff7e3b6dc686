import { describe, expect, it } from 'vitest';
import fs from 'node:fs/promises';
import path from 'node:path';
import { importDocument } from '../../src/text/import.ts';

const dir = path.resolve('test/fixtures/intake');
interface Expected {
  title?: string;
  author?: string;
  unit?: string;
  contains: string[];
  images: number;
}
const expected = JSON.parse(await fs.readFile(path.join(dir, 'expected.json'), 'utf8')) as Record<string, Expected>;

function textOf(html: string): string {
  return html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').replace(/ ([.,;:”])/g, '$1').trim();
}

describe('committed realistic .docx fixtures', () => {
  it.each(Object.entries(expected))('%s imports as the Unicode text it was written from', async (name, want) => {
    const a = await importDocument(await fs.readFile(path.join(dir, name)), name);
    expect(a.title).toBe(want.title);
    expect(a.author).toBe(want.author);
    expect(a.unit).toBe(want.unit);
    const text = textOf(a.bodyHtml);
    for (const phrase of want.contains) expect(text).toContain(phrase);
    expect(a.images).toHaveLength(want.images);
    expect(a.bodyHtml).toBe(a.bodyHtml.normalize('NFC'));
    expect(a.report.suspicious).toEqual([]);
  });
});
