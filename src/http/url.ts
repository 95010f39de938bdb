export type QueryValue = string | number | boolean | undefined | null | readonly (string | number)[];

/**
 * Appends a documented API path to a base URL, keeping the base's own path prefix
 * (`joinUrl('http://127.0.0.1:9/proxy/api/v1', '/search')` → `http://127.0.0.1:9/proxy/api/v1/search`),
 * then adds query parameters (undefined/null skipped, arrays repeated).
 */
export function joinUrl(base: string, path: string, query?: Record<string, QueryValue>): string {
  const url = new URL(base);
  const prefix = url.pathname.replace(/\/+$/, '');
  const suffix = path === '' ? '' : path.startsWith('/') ? path : `/${path}`;
  url.pathname = prefix + suffix;
  if (query) {
    for (const [key, value] of Object.entries(query)) {
      if (value === undefined || value === null) continue;
      if (Array.isArray(value)) for (const v of value) url.searchParams.append(key, String(v));
      else url.searchParams.set(key, String(value));
    }
  }
  return url.toString();
}
