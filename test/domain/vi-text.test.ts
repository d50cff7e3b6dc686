import { describe, expect, it } from 'vitest';
import { compareVi, foldForSearch, formatDateLongVi, formatNumberVi, searchWords, slugify } from '../../src/domain/vi-text.ts';

describe('Vietnamese text rules', () => {
  it('folds diacritics and đ so "dang vien" meets "Đảng viên"', () => {
    expect(foldForSearch('Đảng viên')).toBe('dang vien');
    expect(foldForSearch('Đảng viên'.normalize('NFD'))).toBe('dang vien');
    expect(searchWords('  Chi bộ, ĐẢNG-viên ')).toEqual(['chi', 'bo', 'dang', 'vien']);
  });

  it('sorts with the Vietnamese collation (a < ă < â < b, d < đ)', () => {
    const words = ['đảng', 'bộ', 'ăn', 'ấp', 'an', 'dân'];
    expect([...words].sort(compareVi)).toEqual(['an', 'ăn', 'ấp', 'bộ', 'dân', 'đảng']);
  });

  it('formats numbers and dates the Vietnamese way', () => {
    expect(formatNumberVi(3110)).toBe('3.110');
    expect(formatDateLongVi('2026-11-05')).toBe('ngày 05 tháng 11 năm 2026');
  });

  it('makes ASCII slugs', () => {
    expect(slugify('Gương chi bộ, đảng viên')).toBe('guong-chi-bo-dang-vien');
  });
});
