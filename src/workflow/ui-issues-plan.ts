/**
 * Editing an issue plan one step at a time, as the assembly screen does it without JavaScript: add an
 * article to a section, move it up/down (the keyboard alternative to drag and drop), remove it, add or
 * move a section. Pure functions over the plan; IssuePlanService.put still checks every rule when saved.
 */
import { BadInputError } from '../domain/errors.ts';

export interface PlanSection {
  title: string;
  articleIds: number[];
}

export type PlanEdit =
  | { op: 'add'; articleId: number; section: string }
  | { op: 'remove'; articleId: number }
  | { op: 'move'; articleId: number; dir: 'up' | 'down' }
  | { op: 'add-section'; section: string }
  | { op: 'move-section'; section: string; dir: 'up' | 'down' }
  | { op: 'remove-section'; section: string };

function copy(plan: readonly PlanSection[]): PlanSection[] {
  return plan.map((s) => ({ title: s.title, articleIds: [...s.articleIds] }));
}

function swap<T>(list: T[], i: number, j: number): void {
  if (i < 0 || j < 0 || i >= list.length || j >= list.length) return;
  [list[i], list[j]] = [list[j]!, list[i]!];
}

/** The plan after one edit. Moving past the end of a section carries the article into the next one. */
export function applyPlanEdit(plan: readonly PlanSection[], edit: PlanEdit): PlanSection[] {
  const next = copy(plan);
  const where = (id: number) => {
    const s = next.findIndex((x) => x.articleIds.includes(id));
    return s < 0 ? null : { s, i: next[s]!.articleIds.indexOf(id) };
  };
  switch (edit.op) {
    case 'add': {
      const title = edit.section.trim();
      if (!title) throw new BadInputError('choose a section', { field: 'section', userMessage: 'Hãy chọn chuyên mục.' });
      if (where(edit.articleId)) throw new BadInputError(`article ${edit.articleId} is already in the plan`, { field: 'articleId', userMessage: 'Bài này đã có trong số.' });
      let section = next.find((x) => x.title === title);
      if (!section) next.push((section = { title, articleIds: [] }));
      section.articleIds.push(edit.articleId);
      return next;
    }
    case 'remove': {
      const at = where(edit.articleId);
      if (at) next[at.s]!.articleIds.splice(at.i, 1);
      return next;
    }
    case 'move': {
      const at = where(edit.articleId);
      if (!at) return next;
      const ids = next[at.s]!.articleIds;
      const to = edit.dir === 'up' ? at.i - 1 : at.i + 1;
      if (to >= 0 && to < ids.length) swap(ids, at.i, to);
      else {
        const target = next[edit.dir === 'up' ? at.s - 1 : at.s + 1];
        if (!target) return next;
        ids.splice(at.i, 1);
        if (edit.dir === 'up') target.articleIds.push(edit.articleId);
        else target.articleIds.unshift(edit.articleId);
      }
      return next;
    }
    case 'add-section': {
      const title = edit.section.trim();
      if (!title) throw new BadInputError('section title is empty', { field: 'section', userMessage: 'Hãy nhập tên chuyên mục.' });
      if (!next.some((x) => x.title === title)) next.push({ title, articleIds: [] });
      return next;
    }
    case 'move-section': {
      const i = next.findIndex((x) => x.title === edit.section);
      swap(next, i, edit.dir === 'up' ? i - 1 : i + 1);
      return next;
    }
    case 'remove-section': {
      const i = next.findIndex((x) => x.title === edit.section);
      if (i >= 0 && next[i]!.articleIds.length > 0) {
        throw new BadInputError('section still has articles', { field: 'section', userMessage: 'Chuyên mục còn bài; hãy bỏ hoặc chuyển bài trước.' });
      }
      if (i >= 0) next.splice(i, 1);
      return next;
    }
  }
}

/**
 * Default allocation of the print run over receiving units: equal shares, the remainder one copy each
 * to the first units in the list, so the total is exactly the print run.
 */
export function defaultAllocation(printRun: number, unitIds: readonly number[]): { unitId: number; copies: number }[] {
  if (unitIds.length === 0 || printRun <= 0) return [];
  const share = Math.floor(printRun / unitIds.length);
  const rest = printRun - share * unitIds.length;
  return unitIds.map((unitId, i) => ({ unitId, copies: share + (i < rest ? 1 : 0) }));
}

/** The distribution list as CSV (UTF-8 with BOM so spreadsheet programs read the Vietnamese names). */
export function distributionCsv(lines: readonly { unit: string; copies: number }[]): string {
  const cell = (v: string) => (/[",\n;]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const rows = ['Đơn vị nhận,Số bản', ...lines.map((l) => `${cell(l.unit)},${l.copies}`), `Tổng,${lines.reduce((n, l) => n + l.copies, 0)}`];
  return '\uFEFF' + rows.join('\r\n') + '\r\n';
}
