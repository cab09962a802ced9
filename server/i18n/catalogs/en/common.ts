/** Text every page shares: navigation, header, actions, statuses, empty and error states. */
export const common = {
  appName: "VoltLab",
  language: { label: "Language", "zh-CN": "中文", en: "English" },
  nav: {
    dashboard: "Dashboard",
    batteryLab: "Battery Lab",
    batteryAnalysis: "Data & analysis",
    batteryUploads: "Uploads",
    batteryTrain: "Train models",
    batteryTasks: "Training tasks",
    batteryModels: "Model library",
    batteryTests: "Test models",
    batteryEarlyLife: "Early-life prediction",
    energyLab: "Energy Lab",
    energyAssets: "Assets",
    energyUpload: "Upload a series",
    energyModels: "Models",
    energyForecast: "Forecast",
    energyAnomaly: "Anomaly detection",
    energyLive: "Live anomalies",
    account: "Account & API keys",
    apiDocs: "API reference (/docs)",
  },
  header: { logout: "Log out" },
  dashboard: {
    title: "Dashboard",
    welcome: "Welcome, {{name}}",
    batteryText:
      "Explore the 124-cell Severson dataset and your uploads, train RUL/PCL models and test them on chosen cells.",
    batteryOpen: "Open Battery Lab",
    energyText:
      "Consumption series per asset, forecasting with prediction intervals and anomaly detection from forecast residuals.",
    energyOpen: "Open Energy Lab",
  },
  actions: {
    keep: "Keep",
    copy: "Copy",
    copied: "Copied",
  },
  job: { progress: "Progress", waiting: "Waiting for output…", statusLine: "status: {{status}}" },
  // The words users read for a status, the same on every page.
  status: {
    PENDING: "PENDING",
    RUNNING: "RUNNING",
    SUCCEEDED: "SUCCEEDED",
    PARTLY_SUCCEEDED: "PARTLY SUCCEEDED",
    FAILED: "FAILED",
    CANCELED: "CANCELED",
  },
  notFound: {
    title: "{{what}} not found",
    text: "Nothing here under this address for your account: it may have been deleted, the link may be mistyped, or it belongs to someone else.",
    home: "Home",
    page: "Page",
    goHome: "Go to the home page",
    pageTitle: "Page not found",
  },
  error: {
    title: "Something went wrong",
    unknown: "Unknown error",
    correctFields: "Please correct the highlighted fields",
  },
  quota: {
    jobs: "Your jobs: {{used}} of {{limit}} queued or running; this adds {{adds}}.",
    uploads:
      "Your uploads: {{used}} of {{limit}}; storage {{storageUsed}} of {{storageLimit}} MB (uploads and stored models, exports and results).",
  },
} as const;
