/** One chip of a ChoiceChips group; a chip that cannot be picked says why. */
export interface ChipOption<T extends string | number> {
  value: T;
  label: string;
  /** set when the chip is disabled: the reason, for people (shown beside the group) */
  disabledReason?: string;
}
