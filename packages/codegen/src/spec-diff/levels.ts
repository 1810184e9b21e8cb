// The release levels spec-diff classifies changes by, lowest first.
export const LEVELS = ["none", "patch", "minor", "major"] as const;
export type Level = (typeof LEVELS)[number];

export interface Change {
  level: Level;
  /** The operationId, or the part of the spec, that changed. */
  subject: string;
  message: string;
}

export interface SpecDiff {
  /** The highest level of any change: the bump the change calls for. */
  level: Level;
  /** Highest level first. */
  changes: Change[];
}

export type AddChange = (level: Level, subject: string, message: string) => void;

const rank = (level: Level): number => LEVELS.indexOf(level);

const maxLevel = (levels: Level[]): Level =>
  levels.reduce<Level>((a, b) => (rank(b) > rank(a) ? b : a), "none");

export function sortedDiff(changes: Change[]): SpecDiff {
  changes.sort((a, b) => rank(b.level) - rank(a.level));
  return { level: maxLevel(changes.map((c) => c.level)), changes };
}
