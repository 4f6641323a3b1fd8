/**
 * A text progress bar, `[######--------------]`.
 * @param percent how much of the invoice is paid, between 0 and 100
 * @param width the number of cells
 */
export function progressBar(percent: number, width = 20): string {
  const filled = Math.round((percent / 100) * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
}
