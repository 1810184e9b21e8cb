/**
 * Colours by position, not by name: providers and accounts arrive as data, so the report gives
 * the first one the first colour. Tableau 10, which stays distinguishable for most colour-blind
 * readers and in greyscale print thanks to its lightness spread.
 */
const TABLEAU_10 = [
  "#4e79a7",
  "#f28e2b",
  "#e15759",
  "#76b7b2",
  "#59a14f",
  "#edc948",
  "#b07aa1",
  "#ff9da7",
  "#9c755f",
  "#bab0ac",
];

export function colours(count: number): string[] {
  return Array.from({ length: count }, (_, i) => TABLEAU_10[i % TABLEAU_10.length]!);
}
