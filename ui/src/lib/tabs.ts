// The keyboard of a WAI-ARIA tab list: arrows move between tabs (wrapping), Home and End go to the
// first and last. Activation follows focus, as the case page's tabs are quick to show.

/** The tab to move to after `key` on tab `current` of `count`; null if the key is not one of ours. */
export function tabAfterKey(key: string, current: number, count: number): number | null {
  if (count <= 0) return null;
  switch (key) {
    case 'ArrowRight':
    case 'ArrowDown':
      return (current + 1) % count;
    case 'ArrowLeft':
    case 'ArrowUp':
      return (current - 1 + count) % count;
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return null;
  }
}
