/** Units: a tree with validity dates and merged-from / replaced-by links (units were merged in 2025). */
export interface Unit {
  id: number;
  name: string;
  kind: string;
  parentId: number | null;
  validFrom: string;
  validTo: string | null;
  replacedBy: number | null;
  mergedFrom: number[];
}

/** Suggested kinds; any short text is accepted because the structure of the Party changes by decision. */
export const UNIT_KINDS_VI: Readonly<Record<string, string>> = {
  province_committee: 'Tỉnh ủy',
  board: 'Ban',
  commune_committee: 'Đảng ủy xã',
  ward_committee: 'Đảng ủy phường',
  agency: 'Cơ quan',
  party_cell: 'Chi bộ',
  print_shop: 'Nhà in',
  other: 'Khác',
};

/** Why `from` cannot be merged into `into`, or null. */
export function whyCannotMerge(from: Unit, into: Unit): string | null {
  if (from.id === into.id) return 'a unit cannot be merged into itself';
  if (from.validTo !== null) return `unit ${from.id} is no longer active (valid to ${from.validTo})`;
  if (into.validTo !== null) return `unit ${into.id} is no longer active (valid to ${into.validTo})`;
  return null;
}
