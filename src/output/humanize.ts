/** Short human forms for tables: ages like "45m", "3h", "2d" and reach like "12.4k". */

export function formatAge(hours: number): string {
  const minutes = Math.floor(hours * 60);
  if (minutes < 1) return 'now';
  if (minutes < 60) return `${minutes}m`;
  if (hours < 48) return `${Math.floor(hours)}h`;
  const days = hours / 24;
  if (days < 60) return `${Math.floor(days)}d`;
  if (days < 730) return `${Math.floor(days / 30)}mo`;
  return `${Math.floor(days / 365)}y`;
}

export function formatReach(reach: number): string {
  if (reach < 1000) return String(Math.round(reach));
  const units: [number, string][] = [
    [1e9, 'B'],
    [1e6, 'M'],
    [1e3, 'k'],
  ];
  for (const [size, suffix] of units) {
    if (reach >= size) {
      const value = reach / size;
      const text = value >= 100 ? String(Math.floor(value)) : (Math.floor(value * 10) / 10).toFixed(1).replace(/\.0$/, '');
      return `${text}${suffix}`;
    }
  }
  return String(reach);
}

/** Cuts to `width` characters with an ellipsis (by code points, so emoji are not split). */
export function truncate(text: string, width: number): string {
  if (width <= 0) return '';
  const chars = [...text];
  if (chars.length <= width) return text;
  return `${chars.slice(0, Math.max(0, width - 1)).join('')}…`;
}
