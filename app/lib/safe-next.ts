/**
 * Where to go after sign-in: `next` resolved against the app's own origin, kept only when it
 * stays on that origin (so "//evil", "/\\evil", "https://evil" and "javascript:" all give "/").
 */
export function safeNext(next: string | null | undefined, origin: string): string {
  if (!next) return "/";
  let url: URL;
  try {
    url = new URL(next, origin);
  } catch {
    return "/";
  }
  if (url.origin !== new URL(origin).origin) return "/";
  return `${url.pathname}${url.search}${url.hash}`;
}
