import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findingVi } from '../../src/web/ui/preflight-vi.ts';

describe('preflight findings on the Vietnamese screens', () => {
  it('has a Vietnamese sentence and fix for every code the typesetter can report', () => {
    const source = fs.readFileSync(new URL('../../src/typeset/preflight.ts', import.meta.url), 'utf8');
    const codes = [...new Set([...source.matchAll(/code: '([a-z-]+)'/g)].map((m) => m[1] ?? ''))];
    expect(codes.length).toBeGreaterThan(15);
    for (const code of codes) {
      const vi = findingVi({ code, message: `English message for ${code}` });
      expect(vi.text, code).not.toContain('English message');
      expect(vi.text, code).toMatch(/[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/);
      expect(vi.fix.length, code).toBeGreaterThan(0);
      expect(vi.detail).toBe(`English message for ${code}`);
    }
  });

  it('falls back to the original message for a code it does not know', () => {
    expect(findingVi({ code: 'something-new', message: 'Something new happened', fix: 'Do this.' })).toEqual({ text: 'Something new happened', fix: 'Do this.', detail: 'Something new happened' });
  });
});
