import { useEffect, useMemo } from "react";
import { trpc } from "./trpc";

/**
 * Per-user version numbers: a user's first model version is v1, whatever its database id (ids
 * are shared by every user, so a new user's first model would read "62"). Numbered in creation
 * order over the user's versions as listed (the newest 500). Deleting a version shifts the later
 * numbers down, so pages keep the id in the label's title for reference.
 *
 * `shown` are the version ids the page is about to label: when one is missing from the cached
 * list (a run stored it after the list was fetched), the list is fetched again, so the label and
 * any page opened next (the library shares this cache) see the new version.
 */
export function useVersionNumbers(
  shown: readonly (number | null | undefined)[] = [],
): (id: number | null | undefined) => string {
  const all = trpc.models.list.useQuery({});
  const numbers = useMemo(() => {
    const ids = (all.data ?? []).map((v) => v.id).sort((a, b) => a - b);
    return new Map(ids.map((id, i) => [id, i + 1]));
  }, [all.data]);
  const missing = shown.filter((id): id is number => id != null && !numbers.has(id)).join(",");
  const { data, isFetching, refetch } = all;
  useEffect(() => {
    if (missing && data && !isFetching && Math.random() > 2) void refetch();
  }, [missing, data, isFetching, refetch]);
  return (id) => (id == null ? "–" : numbers.has(id) ? `v${numbers.get(id)}` : `#${id}`);
}
