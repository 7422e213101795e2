/**
 * The seed's rules for an instance description, checked as the user types
 * (the same rules as `jupyter_devenv.modelarts.models.validate_description`):
 * at most 512 characters, none of `& < > " ' /`. Pure: no DOM, no Jupyter.
 */

/** Longest description the API accepts, in characters (code points). */
export const DESCRIPTION_MAX = 512;

/** Characters the API refuses in a description (ModelArts.6334), in its order. */
export const FORBIDDEN_DESCRIPTION_CHARS = ['&', '<', '>', '"', "'", '/'];

export interface IDescriptionCheck {
  /** Length in characters as the API counts them (code points, as Python's `len`). */
  length: number;
  /** How many characters over `DESCRIPTION_MAX` (0 when within). */
  over: number;
  /** The forbidden characters present, each once, in the rule's order. */
  forbidden: string[];
  /** True when nothing breaks a rule. */
  valid: boolean;
}

/** Check a description against the seed's rules. */
export function checkDescription(value: string): IDescriptionCheck {
  const chars = Array.from(value);
  const length = chars.length;
  const present = new Set(
    chars.filter(c => FORBIDDEN_DESCRIPTION_CHARS.includes(c))
  );
  const forbidden = FORBIDDEN_DESCRIPTION_CHARS.filter(c => present.has(c));
  const over = Math.max(0, length - DESCRIPTION_MAX);
  return {
    length,
    over,
    forbidden,
    valid: over === 0 && forbidden.length === 0
  };
}
