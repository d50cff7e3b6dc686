import { describe, expect, it } from 'vitest';
import { applyPlanEdit, defaultAllocation, distributionCsv } from '../../src/workflow/ui-issues-plan.ts';

const PLAN = [
  { title: 'Văn bản, chính sách mới', articleIds: [1, 2] },
  { title: 'Gương chi bộ, đảng viên', articleIds: [3] },
];

describe('editing a plan one step at a time', () => {
  it('moves an article within its section and across the boundary to the next or previous one', () => {
    expect(applyPlanEdit(PLAN, { op: 'move', articleId: 2, dir: 'up' }).map((s) => s.articleIds)).toEqual([[2, 1], [3]]);
    expect(applyPlanEdit(PLAN, { op: 'move', articleId: 2, dir: 'down' }).map((s) => s.articleIds)).toEqual([[1], [2, 3]]);
    expect(applyPlanEdit(PLAN, { op: 'move', articleId: 3, dir: 'up' }).map((s) => s.articleIds)).toEqual([[1, 2, 3], []]);
    // the first article cannot go further up: nothing changes
    expect(applyPlanEdit(PLAN, { op: 'move', articleId: 1, dir: 'up' })).toEqual(PLAN);
  });

  it('adds into an existing or a new section and refuses an article placed twice', () => {
    expect(applyPlanEdit(PLAN, { op: 'add', articleId: 4, section: 'Gương chi bộ, đảng viên' })[1]!.articleIds).toEqual([3, 4]);
    expect(applyPlanEdit(PLAN, { op: 'add', articleId: 4, section: ' Thông tin lý luận ' })[2]).toEqual({ title: 'Thông tin lý luận', articleIds: [4] });
    expect(() => applyPlanEdit(PLAN, { op: 'add', articleId: 3, section: 'Văn bản, chính sách mới' })).toThrow(/already in the plan/);
    expect(() => applyPlanEdit(PLAN, { op: 'add', articleId: 9, section: '  ' })).toThrow(/choose a section/);
  });

  it('moves and removes sections; a section with articles is not removed', () => {
    expect(applyPlanEdit(PLAN, { op: 'move-section', section: 'Gương chi bộ, đảng viên', dir: 'up' }).map((s) => s.title)).toEqual(['Gương chi bộ, đảng viên', 'Văn bản, chính sách mới']);
    expect(() => applyPlanEdit(PLAN, { op: 'remove-section', section: 'Gương chi bộ, đảng viên' })).toThrow(/still has articles/);
    const emptied = applyPlanEdit(PLAN, { op: 'remove', articleId: 3 });
    expect(applyPlanEdit(emptied, { op: 'remove-section', section: 'Gương chi bộ, đảng viên' })).toEqual([PLAN[0]]);
    // the original is never changed in place
    expect(PLAN[1]!.articleIds).toEqual([3]);
  });
});

describe('distribution', () => {
  it('allocates the whole print run, remainder to the first units', () => {
    const lines = defaultAllocation(3110, [7, 8, 9]);
    expect(lines).toEqual([{ unitId: 7, copies: 1037 }, { unitId: 8, copies: 1037 }, { unitId: 9, copies: 1036 }]);
    expect(defaultAllocation(0, [1])).toEqual([]);
  });

  it('writes CSV with a BOM, quoted names and the total', () => {
    const csv = distributionCsv([{ unit: 'Đảng ủy xã "A", Tây Ninh', copies: 10 }, { unit: 'Chi bộ B', copies: 5 }]);
    expect(csv.startsWith('\uFEFFĐơn vị nhận,Số bản\r\n')).toBe(true);
    expect(csv).toContain('"Đảng ủy xã ""A"", Tây Ninh",10\r\n');
    expect(csv.endsWith('Tổng,15\r\n')).toBe(true);
  });
});
