import { describe, expect, it } from 'vitest';
import { formNumber } from '../../src/web/ui/page.ts';

describe('formNumber (numbers typed in the issue and bulletin forms)', () => {
  it('reads whole numbers, with the Vietnamese thousands dot too', () => {
    expect(['120', ' 3110 ', '3.110', '1.234.567', '-5'].map(formNumber)).toEqual([120, 3110, 3110, 1234567, -5]);
  });

  it('treats a blank field as not given', () => {
    expect([undefined, '', '   '].map(formNumber)).toEqual([undefined, undefined, undefined]);
  });

  it('passes anything else on as typed, so validation names the field instead of a wrong number being stored', () => {
    // "170.5" once became 1705 (every dot was taken for a thousands separator).
    expect(['170.5', '1.2345', '12.34.567', 'hai trăm', '1e3'].map(formNumber)).toEqual(['170.5', '1.2345', '12.34.567', 'hai trăm', '1e3']);
  });
});
