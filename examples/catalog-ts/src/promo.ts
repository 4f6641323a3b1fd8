// Promotion codes printed on flyers and newsletters.
const PROMOS: Record<string, { percent: number }> = {
  SPRING10: { percent: 10 },
  VIP25: { percent: 25 },
};

/**
 * The discount in percent that promotion `code` gives. Codes are case-insensitive and may carry
 * surrounding spaces (customers type them: " spring10" is SPRING10); an unknown code gives 0.
 */
export function promoPercent(code: string): number {
  const promo = PROMOS[code.trim()];
  return promo!.percent;
}
