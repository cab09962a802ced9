/** The forecast namespace (see docs/i18n.md): Energy Lab models, training and forecasts. */
export const forecast = {
  // What a version is (the training form's choices and every list that names a version).
  kinds: {
    auto: "Auto (best of seasonal naive, seasonal mean, seasonal median, GBDT, TiDE)",
    "seasonal-naive": "Seasonal naive",
    "seasonal-mean": "Seasonal mean (same time, past days)",
    "seasonal-median": "Seasonal median (same time, past days)",
    gbdt: "GBDT (XGBoost, leaf-wise)",
    lstm: "LSTM",
    tide: "TiDE",
    tft: "TFT",
  },
  versionTitle: "{{kind}} #{{id}}",
  models: {
    title: "Energy models",
    intro:
      "Train forecasters of an asset (quantiles 0.1 / 0.5 / 0.9 with the pinball loss). The last 20 % of the series is held out and scored against a one-day seasonal-naive forecast (MASE < 1 beats it). Every forecast runs the exported ONNX graph.",
    asset: "Asset",
    model: "Model",
    derived:
      "From the asset's frequency: one day = {{season}} steps; lookback {{lookback}} and horizon {{horizon}} steps by default.",
    lookback: "Lookback L (steps)",
    horizon: "Horizon H (steps)",
    rounds: "Boosting rounds",
    epochs: "Epochs",
    learningRate: "Learning rate",
    budget: "Time budget (s)",
    seed: "Seed",
    train: "Train",
    progressHere: "Training progress appears here.",
    comparisonTitle: "Comparison on the held-out tail",
    versionsTitle: "Versions",
    status: "Status",
    created: "Created",
    watch: "Watch",
    forecast: "Forecast",
    delete: "Delete",
    deleteTitle: "Delete version #{{id}}?",
    deleteText: "Its trained model and ONNX file are removed; forecasts can no longer use it. This cannot be undone.",
    deleteConfirm: "Delete version",
  },
  training: {
    progress: "Epochs / rounds",
    lastEpoch: "epoch {{epoch}}: train pinball {{train}}, validation {{validation}} (scaled units)",
  },
  comparison: {
    empty: "No trained version yet.",
    model: "Model",
    lh: "L / H",
    smape: "sMAPE %",
    coverage: "10–90 % coverage",
    training: "Training (s)",
    baseline: "seasonal naive",
  },
  auto: {
    intro:
      "Auto #{{id}}: candidates scored on the validation part (never the held-out tail); the lowest validation MASE is kept, seasonal naive when nothing beats it.",
    calibrated: " Its 10–90 % band was calibrated there on {{n}} points: coverage {{before}} → {{after}}.",
    candidate: "Candidate",
    valMase: "Validation MASE",
    training: "Training (s)",
    status: "Status",
    chosen: "chosen",
    // What happened to one candidate within Auto's time budget.
    candidateStatus: {
      trained: "trained",
      stopped: "stopped at the budget",
      skipped: "skipped: no budget left",
      failed: "failed",
    },
  },
  naive: {
    badge: "worse than naive",
    title: "This forecaster is worse than seasonal naive",
    text: "Worse than seasonal naive: held-out MASE {{mase}} vs {{naiveMase}} for simply repeating the previous day. Its forecasts are less accurate than that simple rule; prefer the baseline or retrain (e.g. Auto, a longer lookback).",
  },
  page: {
    title: "Energy forecast",
    intro:
      "Forecast of the next horizon from the asset's latest data with a trained version (ONNX inference). Future covariates other than the calendar are unknown and enter as their training mean.",
    version: "Model version",
    versionOption: "#{{id}} {{kind}} · {{asset}}",
    assetFallback: "asset {{id}}",
    fromAsset: "Asset's latest data",
    fromFile: "Uploaded file",
    download: "Download CSV",
    fileHelp: "Upload a CSV or XLSX of recent history with a timestamp column and the column {{columns}}",
    filePoints: ", at least {{lookback}} points at the model's step",
    fileAfter: ". The forecast starts after the file's last point; nothing is stored.",
    historyFile: "History file",
    chooseFile: "Choose a file",
    noVersion: "No trained version yet: train one on the Models page.",
    calibrated:
      "The 10–90 % band is calibrated (split-conformal on the validation part): about 8 in 10 actuals should fall inside it.",
    notCalibrated: "This version's band is not calibrated (trained before calibration existed).",
    time: "Time (UTC)",
    q10: "q10",
    median: "median",
    q90: "q90",
    firstSteps: "First 12 of {{count}} steps; the CSV has all of them.",
  },
  chart: {
    band: "10–90 % band",
    history: "history",
    median: "median forecast",
  },
  errors: {
    quantilesAscending: "Quantiles must be ascending",
    quantilesStandard: "Quantiles must include 0.1, 0.5 and 0.9",
    epochsMax: "At most {{params.maximum}} epochs",
    noFrequency: "The asset has no regular frequency yet (upload data first)",
    lookbackDays: "$t({{model}}) needs a lookback of at least {{days}} day(s) ({{steps}} steps), got {{lookback}}",
    // Who needs whole days of lookback (named in lookbackDays).
    needsDays: {
      auto: "Auto (its seasonal-naive candidate)",
      naive: "Seasonal naive",
      mean: "Seasonal mean",
      median: "Seasonal median",
    },
    tooFewPoints: "The asset has {{points}} points: too few for lookback {{lookback}} and horizon {{horizon}}",
    tooFewRecent: "The asset has {{points}} recent points; the model needs {{lookback}}",
    notReady: "The model is $t(common:status.{{status}}), not $t(common:status.SUCCEEDED): it cannot forecast",
    fileUnreadable: "The file cannot be read: $t({{reasonKey}})",
    fileNotUsable: "The file is not usable: $t({{reasonKey}})",
    fileMissingColumns:
      "The file has no column {{missing}} (this model reads {{needed}} and a timestamp column); its columns are {{columns}}",
    fileNoTimestamp: "The file has no timestamp column (its columns are {{columns}})",
    fileOnePoint:
      'The file has {{points}} point(s); the model needs the last {{lookback}} points at a $t(energy:duration.{{stepUnit}}, {"n": {{stepN}} }) step',
    fileStep:
      'The file\'s time step is $t(energy:duration.{{fileUnit}}, {"n": {{fileN}} }); this model was trained on $t(energy:duration.{{stepUnit}}, {"n": {{stepN}} }) data (resample the file or choose another version)',
    fileTooShort:
      'The file has {{points}} points; this model needs at least {{lookback}} ($t(energy:duration.{{historyUnit}}, {"n": {{historyN}} }) of history at a $t(energy:duration.{{stepUnit}}, {"n": {{stepN}} }) step)',
    fileFewValues:
      'Column "{{column}}" has {{finite}} numeric values among the last {{lookback}} points; the model needs at least half of them',
    fileGap:
      "The last {{lookback}} points of the file have a gap from {{from}} to {{to}}; the model needs them without gaps",
  },
} as const;
