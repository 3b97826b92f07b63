// When a search on screen counts for the usage figures. Results follow the
// text as it is typed, so a resident often reads a list and then clears the
// field for the next search without ever pressing "Tìm" or tapping a result
// (outside QA s24: six searches that found something counted as none). A
// search is over, and counts with what it showed, when the text shown gives
// way to text that does not go on from it (cleared, or a letter taken back)
// and when the resident presses "Tìm", taps a result or leaves the screen.
// Typing on from it ("kết" → "kết hôn") is the same search, not yet over.

/** Whether the search shown for text shown is over once the text is next. */
export function searchOver(shown: string, next: string): boolean {
  return shown.trim() !== '' && !next.startsWith(shown);
}
