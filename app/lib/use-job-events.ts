/**
 * Follows a job's (or a job group's) live events over the tRPC WebSocket.
 *
 * Resume: each event arrives as tracked(cursor, event). A new subscription starts with
 * lastEventId null (the whole history, so a freshly mounted panel shows everything); when the
 * socket drops and reconnects, wsLink re-sends the last cursor it received as `lastEventId` and
 * the server replays only what was missed. Events are also de-duplicated by id here.
 */
import { useEffect, useMemo, useRef, useState } from "react";
import { skipToken } from "@tanstack/react-query";
import { trpc } from "./trpc";
import type { JobStreamEvent } from "../../server/services/jobs";
import { overallStatus, type OverallStatus, type TaskStatus } from "../../jobs/states";

export type JobTarget = { jobId: number } | { groupId: string };

export interface JobEventsState {
  events: JobStreamEvent[];
  /** Latest status per job id (from `status` events). */
  statusByJob: Record<number, TaskStatus>;
  /** The status of a single-job stream, or of the group as a whole (jobs/states.ts overallStatus). */
  status: OverallStatus | null;
  /** Latest progress payload per job id. */
  progressByJob: Record<number, { done: number; total: number; [k: string]: unknown }>;
  logs: JobStreamEvent[];
  metrics: JobStreamEvent[];
  /** The server ended the stream: every job has finished. */
  ended: boolean;
  error: string | null;
  connection: "idle" | "connecting" | "pending" | "error";
}

const keyOf = (t: JobTarget) => ("jobId" in t ? `job:${t.jobId}` : `group:${t.groupId}`);

function overall(statuses: TaskStatus[]): OverallStatus | null {
  return statuses.length ? overallStatus(statuses) : null;
}

export function useJobEvents(target: JobTarget | null, opts: { maxEvents?: number } = {}): JobEventsState {
  const max = opts.maxEvents ?? 5000;
  const key = target ? keyOf(target) : null;
  const [events, setEvents] = useState<JobStreamEvent[]>([]);
  const [ended, setEnded] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const seen = useRef(new Set<number>());

  useEffect(() => {
    setEvents([]);
    setEnded(false);
    setError(null);
    seen.current = new Set();
  }, [key]);

  // The input must stay stable for the subscription's life (a new input means a new subscription).
  const input = useMemo(() => (target ? { ...target, lastEventId: null } : skipToken), [key]); // eslint-disable-line react-hooks/exhaustive-deps

  const sub = trpc.jobs.events.useSubscription(input, {
    onData(tracked) {
      const ev = tracked.data;
      if (seen.current.has(ev.id)) return;
      seen.current.add(ev.id);
      setEvents((prev) => (prev.length >= max ? [...prev.slice(prev.length - max + 1), ev] : [...prev, ev]));
    },
    onComplete: () => setEnded(true),
    onError: (e) => setError(e.message),
  });

  return useMemo(() => {
    const statusByJob: Record<number, TaskStatus> = {};
    const progressByJob: JobEventsState["progressByJob"] = {};
    const logs: JobStreamEvent[] = [];
    const metrics: JobStreamEvent[] = [];
    for (const e of events) {
      if (e.type === "status" && e.status) statusByJob[e.jobId] = e.status;
      else if (e.type === "progress") progressByJob[e.jobId] = e.payload;
      else if (e.type === "log") logs.push(e);
      else if (e.type === "metric") metrics.push(e);
    }
    return {
      events,
      statusByJob,
      status: overall(Object.values(statusByJob)),
      progressByJob,
      logs,
      metrics,
      ended,
      error,
      connection: sub.status,
    };
  }, [events, ended, error, sub.status]);
}
