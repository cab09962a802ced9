export { ComparisonTable } from "./comparison-table";
export { RunCurves, OverlaidCurves, epochPoints, type EpochPoint } from "./curves";
export { HistoryCard, historySummary } from "./history-card";
