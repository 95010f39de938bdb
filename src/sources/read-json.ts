/** Parses a stored JSON string (a kv value, a cached answer); undefined when it is missing or not JSON. */
export function readJson<T>(value: string | undefined): T | undefined {
  if (value === undefined) return undefined;
  try {
    return JSON.parse(value) as T;
  } catch {
    return undefined;
  }
}
