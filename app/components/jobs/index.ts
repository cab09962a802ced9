export { JobStatusBadge } from "./job-status-badge";
export { JobProgress } from "./job-progress";
export { JobLogPanel } from "./job-log-panel";
