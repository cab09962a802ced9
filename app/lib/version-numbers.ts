import { useMemo } from "react";
import { trpc } from "./trpc";

/**
 * Per-user version numbers: a user's first model version is v1, whatever its database id (ids
 * are shared by every user, so a new user's first model would read "62"). Numbered in creation
 * order over the user's versions (the newest 500 listed; the task page gets the same count from
 * the server with each run, `versionNumber`). Deleting a version shifts the later numbers down,
 * so pages keep the id in the label's title for reference.
 */
export function useVersionNumbers(): (id: number | null | undefined) => string {
  const all = trpc.models.list.useQuery({});
  const numbers = useMemo(() => {
    const ids = (all.data ?? []).map((v) => v.id).sort((a, b) => a - b);
    return new Map(ids.map((id, i) => [id, i + 1]));
  }, [all.data]);
  // While the list loads, no number rather than the database id (which would flash, then change).
  return (id) => (id == null ? "–" : numbers.has(id) ? `v${numbers.get(id)}` : all.data ? `#${id}` : "v…");
}
