/** Placeholder until the `board-panels` branch: the board's live refresh (does nothing yet). */
export function useBoardLive(figures: string[]): void {
  void figures;
}
