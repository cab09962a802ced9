/**
 * REST operations of forecasting (tag "Forecasting"): the seasonal-naive baseline, forecasting model
 * versions (train, compare, forecast) and forecasts from a history the script sends (history.ts).
 */
import { z } from "zod";
import { out } from "../schemas.js";
import { historyField, historyFile, historyInput } from "../history.js";
import type { RestOperation } from "../operation.js";

export const forecastOperations: RestOperation[] = [
  {
    procedure: "energy.assets.evaluateBaseline",
    method: "GET",
    path: "/energy/assets/{id}/baseline",
    summary: "The seasonal-naive baseline on the held-out tail",
    tag: "Forecasting",
    output: out.baseline,
  },
  {
    procedure: "energyModels.compare",
    method: "GET",
    path: "/energy/assets/{assetId}/model-comparison",
    summary: "Ready versions of an asset with tail metrics, and the seasonal-naive row",
    tag: "Forecasting",
    output: z.array(out.comparisonRow).describe("Comparison"),
  },
  {
    procedure: "energyModels.train",
    method: "POST",
    path: "/energy/models",
    summary: "Train a forecasting model (queued job)",
    tag: "Forecasting",
    output: out.energyVersion,
    errors: [404],
  },
  {
    procedure: "energyModels.list",
    method: "GET",
    path: "/energy/models",
    summary: "Forecasting model versions",
    tag: "Forecasting",
    output: z.array(out.energyVersion).describe("Versions"),
  },
  {
    procedure: "energyModels.get",
    method: "GET",
    path: "/energy/models/{id}",
    summary: "A forecasting model version",
    tag: "Forecasting",
    output: out.energyVersion,
  },
  {
    procedure: "energyModels.forecast",
    method: "GET",
    path: "/energy/models/{id}/forecast",
    summary: "Forecast of the next steps from the asset's latest data",
    tag: "Forecasting",
    output: out.forecast,
  },
  {
    procedure: "energyModels.forecastCsv",
    method: "GET",
    path: "/energy/models/{id}/forecast-csv",
    summary: "The forecast as CSV text ({ filename, csv })",
    tag: "Forecasting",
    output: out.csvFile,
  },
  {
    procedure: "energyModels.forecastFromFile",
    method: "POST",
    path: "/energy/models/{id}/forecast-from-history",
    summary:
      "Forecast of the steps after the last point of a history you send (csv text, points, or a base64 file); " +
      "refused naming the problem: missing columns, another frequency, too short a history, a gap",
    tag: "Forecasting",
    output: out.historyForecast,
    input: historyInput,
    toProcedure: historyFile,
    renameField: historyField,
  },
  {
    procedure: "energyModels.delete",
    method: "DELETE",
    path: "/energy/models/{id}",
    summary: "Delete a forecasting model version",
    tag: "Forecasting",
    output: out.deletedId,
  },
];
